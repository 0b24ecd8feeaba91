/**
 * The report of one run of a goal: what the run changed step by step, the pods after each step and
 * the result, written as report.json and report.md and to the GitHub Actions job summary.
 */
package io.github.stscanary.canary.report;
