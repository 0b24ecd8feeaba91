/**
 * Verification of what a StatefulSet's pods serve: each pod is requested once through the API
 * server's pod proxy, and the Service many times, and the responses are matched against a pattern
 * per role (canary or stable).
 */
package io.github.stscanary.canary.verify;
