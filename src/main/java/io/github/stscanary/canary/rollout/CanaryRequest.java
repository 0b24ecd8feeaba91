package io.github.stscanary.canary.rollout;

import java.time.Duration;

/**
 * One canary step: put {@code image} on {@code container} and move the partition to {@code
 * partition}, so that pods with an ordinal at or above it run the image.
 *
 * @param statefulSet name of the StatefulSet in the connection's namespace
 * @param container container name, or {@code null} when the pod template has exactly one
 * @param image image reference with tag or digest, or {@code null} to keep the template's image
 * @param partition first ordinal that runs the new image, between 0 and {@code spec.replicas}
 * @param timeout how long to wait for the pods
 */
public record CanaryRequest(
    String statefulSet, String container, String image, int partition, Duration timeout) {}
