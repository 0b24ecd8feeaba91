"""Rollout detection latency of canary:deploy and of kubectl rollout status on the same change.

Each run resets the StatefulSet to image A on every pod, then starts `mvn canary:deploy` with
image B and the partition. As soon as the watch shows the patched generation, it starts
`kubectl rollout status` on the same change. Latency is measured from the receipt of the watch
event in which the last canary pod became Ready on the update revision to:
  - plugin: the timestamp of the goal's "rollout complete" log line;
  - kubectl: the receipt of its "partitioned roll out complete" line.
The StatefulSet status update that both of them wait for is reported too, as the controller's
share. Maven start-up is not part of any of these figures.

Usage: detection.py KUBECONFIG KUBECTL NAMESPACE STATEFULSET PROJECT_DIR IMAGE_A IMAGE_B
                    PARTITION RUNS OUTPUT_JSON
"""

import json
import os
import subprocess
import sys
import threading
import time

from kubewatch import KubeConfig, Watcher, first_line_time, spread


def ordinal(name):
    return int(name.rsplit("-", 1)[1])


def run_once(args, watcher, run_index):
    (kubeconfig, kubectl, namespace, statefulset, project, image_a, image_b, partition) = args
    kube = [kubectl, "--kubeconfig=" + kubeconfig, "-n", namespace]
    reset = ('{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}},"template":{"spec":'
             '{"containers":[{"name":"app","image":"%s"}]}}}}' % image_a)
    subprocess.run(kube + ["patch", "statefulset", statefulset, "--type=strategic", "-p", reset],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(kube + ["rollout", "status", "statefulset", statefulset, "--timeout=5m"],
                   check=True, stdout=subprocess.DEVNULL)
    time.sleep(1)

    start_index = len(watcher.snapshot())
    current = KubeConfig(kubeconfig).get_json(
        "/apis/apps/v1/namespaces/%s/statefulsets/%s" % (namespace, statefulset))
    generation_before = current["metadata"]["generation"]

    kubectl_lines = []
    kubectl_started = []

    def follow_with_kubectl():
        patched = watcher.wait_for(
            lambda events: any(e["kind"] == "sts" and e["generation"] > generation_before
                               for e in events[start_index:]), timeout=120)
        if not patched:
            return
        kubectl_started.append(time.time())
        process = subprocess.Popen(
            kube + ["rollout", "status", "statefulset", statefulset, "--timeout=5m"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        for line in process.stdout:
            kubectl_lines.append((time.time(), line.rstrip()))
        process.wait()

    follower = threading.Thread(target=follow_with_kubectl)
    follower.start()
    environment = dict(os.environ)
    environment["MAVEN_OPTS"] = (environment.get("MAVEN_OPTS", "") + " "
                                 + environment["BENCH_MAVEN_OPTS"]).strip()
    maven_started = time.time()
    maven = subprocess.run(
        ["mvn", "-B", "canary:deploy", "-Dpartition=%d" % partition,
         "-Dcanary.image=" + image_b, "-Dcanary.kubeconfig=" + kubeconfig,
         "-Dcanary.namespace=" + namespace, "-Dcanary.statefulSet=" + statefulset],
        cwd=project, capture_output=True, text=True, env=environment)
    maven_ended = time.time()
    follower.join(timeout=300)
    if maven.returncode != 0:
        raise RuntimeError("canary:deploy failed:\n" + maven.stdout[-4000:])
    time.sleep(0.5)
    events = watcher.snapshot()[start_index:]

    patched = [e for e in events if e["kind"] == "sts" and e["generation"] > generation_before]
    update_revision = patched[-1]["updateRevision"]
    replicas = patched[-1]["replicas"]
    ready_times = {}
    for event in events:
        if (event["kind"] == "pod" and ordinal(event["name"]) >= partition
                and event["revision"] == update_revision and event["ready"]
                and not event["deleting"] and event["name"] not in ready_times):
            ready_times[event["name"]] = event["t"]
    if len(ready_times) != replicas - partition:
        raise RuntimeError("saw %d canary pods Ready, expected %d"
                           % (len(ready_times), replicas - partition))
    last_ready = max(ready_times.values())
    status_complete = next(
        (e["t"] for e in events
         if e["kind"] == "sts"
         and e["observedGeneration"] == e["generation"] == patched[-1]["generation"]
         and e["updatedReplicas"] == replicas - partition and e["readyReplicas"] == replicas),
        None)
    lines = maven.stdout.splitlines()
    plugin_complete = first_line_time(lines, "; rollout complete")
    plugin_patch = first_line_time(lines, "Setting image ")
    plugin_summary = first_line_time(lines, "pods on " + image_b)
    kubectl_complete = next((t for t, line in kubectl_lines if "roll out complete" in line), None)

    def since_ready(t):
        return None if t is None else round((t - last_ready) * 1000, 1)

    def after(start, end):
        return None if start is None or end is None else round((end - start) * 1000, 1)

    return {
        "run": run_index,
        "plugin_ms": since_ready(plugin_complete),
        "plugin_summary_ms": since_ready(plugin_summary),
        "kubectl_ms": since_ready(kubectl_complete),
        "status_update_ms": since_ready(status_complete),
        "plugin_after_status_ms": after(status_complete, plugin_complete),
        "kubectl_after_status_ms": after(status_complete, kubectl_complete),
        "kubectl_started_before_ready": bool(kubectl_started and kubectl_started[0] < last_ready),
        "rollout_ms": None if plugin_patch is None else round((last_ready - plugin_patch) * 1000, 1),
        "maven_wall_ms": round((maven_ended - maven_started) * 1000, 1),
        "kubectl_output": [line for _, line in kubectl_lines][-1:],
    }


def main():
    (kubeconfig, kubectl, namespace, statefulset, project, image_a, image_b, partition, runs,
     output) = sys.argv[1:]
    partition = int(partition)
    args = (kubeconfig, kubectl, namespace, statefulset, project, image_a, image_b, partition)
    watcher = Watcher(KubeConfig(kubeconfig), namespace, statefulset, "app=" + statefulset).start()
    samples = []
    try:
        for index in range(int(runs)):
            sample = run_once(args, watcher, index + 1)
            print("[detection] run %d: plugin %s ms, kubectl %s ms, status update %s ms"
                  % (index + 1, sample["plugin_ms"], sample["kubectl_ms"],
                     sample["status_update_ms"]), file=sys.stderr)
            samples.append(sample)
    finally:
        watcher.stop()

    valid = [s for s in samples if s["kubectl_started_before_ready"]]
    summary = {
        "benchmark": "detection",
        "partition": partition,
        "runs": len(samples),
        "plugin_ms": spread([s["plugin_ms"] for s in samples]),
        "plugin_summary_ms": spread([s["plugin_summary_ms"] for s in samples]),
        "kubectl_ms": spread([s["kubectl_ms"] for s in valid]),
        "kubectl_runs_started_too_late": len(samples) - len(valid),
        "status_update_ms": spread([s["status_update_ms"] for s in samples
                                    if s["status_update_ms"] is not None]),
        "plugin_after_status_ms": spread([s["plugin_after_status_ms"] for s in samples
                                          if s["plugin_after_status_ms"] is not None]),
        "kubectl_after_status_ms": spread([s["kubectl_after_status_ms"] for s in valid
                                           if s["kubectl_after_status_ms"] is not None]),
        "samples": samples,
    }
    plugin = summary["plugin_ms"]["median"]
    kubectl = summary["kubectl_ms"].get("median")
    summary["ratio_plugin_to_kubectl"] = round(plugin / kubectl, 2) if kubectl else None
    with open(output, "w") as file:
        json.dump(summary, file, indent=2)


if __name__ == "__main__":
    main()
