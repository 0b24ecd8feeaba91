package io.github.stscanary.canary.rollout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Input of {@link ApplyService}: the manifests in a folder, or, when it has none, a StatefulSet and
 * a Service generated from {@code generated}.
 *
 * @param manifests folder of YAML manifests
 * @param placeholders values for {@code ${name}} placeholders in the manifests
 * @param generated the resources to generate when the folder has no manifests
 * @param timeout how long to wait for each StatefulSet's pods to be Ready
 */
public record ApplyRequest(
    Path manifests,
    Map<String, String> placeholders,
    GeneratedResources generated,
    Duration timeout) {}
