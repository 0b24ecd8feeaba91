/** Canary releases of Kubernetes StatefulSets, driven from a Maven build. */
package io.github.stscanary.canary;
