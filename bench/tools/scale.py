"""canary:deploy and canary:promote on a large StatefulSet: convergence, memory and API requests.

Usage: scale.py KUBECONFIG NAMESPACE STATEFULSET PROJECT_DIR AUDIT_LOG REGISTRY PARTITION
                CYCLES OUTPUT_JSON
Expects the StatefulSet on one image on every pod. Each cycle deploys a new image to the pods at
or above PARTITION, then promotes it to partition 0. For each goal it records:
  - plugin_s: from the goal's "Setting ..." log line (just before its patch) to its "rollout
    complete" line;
  - detection_ms: from the last changed pod's Ready to that line, split into status_update_ms
    (until the StatefulSet controller's status shows the rollout done) and plugin_after_status_ms;
  - controller_s: from the first pod deletion the change caused to the receipt of the watch event
    in which the last changed pod became Ready on the update revision (the controller's own time);
  - wall_s and max_rss_kb from /usr/bin/time -v (the whole Maven JVM);
  - the plugin's API requests in the audit log (user agent fabric8-kubernetes-client).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

from kubewatch import KubeConfig, Watcher, first_line_time, maven_line_time, spread
import audit

USER_AGENT = "fabric8-kubernetes-client"


def ordinal(name):
    return int(name.rsplit("-", 1)[1])


def time_field(report, label):
    match = re.search(r"^\s*%s: (.+)$" % re.escape(label), report, re.MULTILINE)
    return match.group(1).strip() if match else None


def wall_seconds(text):
    parts = [float(part) for part in text.split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def run_goal(common, goal_args, environment):
    with tempfile.NamedTemporaryFile(mode="r", suffix=".time") as report_file:
        started = time.time()
        result = subprocess.run(
            ["/usr/bin/time", "-v", "-o", report_file.name, "mvn", "-B"] + goal_args + common,
            cwd=environment["project"], capture_output=True, text=True, env=environment["env"])
        ended = time.time()
        report = report_file.read()
    if result.returncode != 0:
        raise RuntimeError("mvn %s failed:\n%s" % (" ".join(goal_args), result.stdout[-4000:]))
    return started, ended, result.stdout.splitlines(), report


def measure(name, goal_args, changed, common, environment, watcher, audit_log):
    start_index = len(watcher.snapshot())
    started, ended, lines, report = run_goal(common, goal_args, environment)
    time.sleep(1)

    events = watcher.snapshot()[start_index:]
    patch_time = first_line_time(lines, "Setting ")
    complete_lines = [maven_line_time(line) for line in lines if "; rollout complete" in line]
    statefulsets = [e for e in events if e["kind"] == "sts"]
    update_revision = statefulsets[-1]["updateRevision"]
    first_deletion = min(e["t"] for e in events
                         if e["kind"] == "pod" and e["deleting"] and changed(ordinal(e["name"])))
    ready = {}
    for event in events:
        if (event["kind"] == "pod" and changed(ordinal(event["name"]))
                and event["revision"] == update_revision and event["ready"]
                and not event["deleting"] and event["name"] not in ready):
            ready[event["name"]] = event["t"]
    last_ready = max(ready.values())

    # The first StatefulSet status that shows the rollout done, which the plugin waits for.
    replicas = statefulsets[-1]["replicas"]
    if name == "deploy":
        expected_updated = sum(1 for number in range(replicas) if changed(number))
    else:
        expected_updated = replicas
    status_done = next((e["t"] for e in statefulsets
                        if e["observedGeneration"] == e["generation"]
                        and e["updateRevision"] == update_revision
                        and e["updatedReplicas"] == expected_updated
                        and e["readyReplicas"] == replicas), complete_lines[-1])
    requests = audit.count(audit_log, started, ended, USER_AGENT)

    sample = {
        "goal": name,
        "pods_changed": len(ready),
        "plugin_s": round(complete_lines[-1] - patch_time, 2),
        "controller_s": round(last_ready - first_deletion, 2),
        "detection_ms": round((complete_lines[-1] - last_ready) * 1000, 1),
        "status_update_ms": round((status_done - last_ready) * 1000, 1),
        "plugin_after_status_ms": round((complete_lines[-1] - status_done) * 1000, 1),
        "wall_s": round(wall_seconds(time_field(report, "Elapsed (wall clock) time (h:mm:ss or m:ss)")), 2),
        "max_rss_kb": int(time_field(report, "Maximum resident set size (kbytes)")),
        "requests": requests,
        "load_after": open("/proc/loadavg").read().split()[:3],
    }
    print("[scale] %s: %d pods, plugin %.1f s, controller %.1f s, %d requests, %d kB RSS"
          % (name, sample["pods_changed"], sample["plugin_s"], sample["controller_s"],
             requests["total"], sample["max_rss_kb"]), file=sys.stderr)
    return sample


def main():
    (kubeconfig, namespace, statefulset, project, audit_log, registry, partition, cycles,
     output) = sys.argv[1:]
    partition = int(partition)
    common = ["-Dcanary.kubeconfig=" + kubeconfig, "-Dcanary.namespace=" + namespace,
              "-Dcanary.statefulSet=" + statefulset, "-Dcanary.timeout=30m"]
    env = dict(os.environ)
    env["MAVEN_OPTS"] = (env.get("MAVEN_OPTS", "") + " " + env["BENCH_MAVEN_OPTS"]).strip()
    environment = {"project": project, "env": env}

    _, _, _, baseline = run_goal([], ["-q", "validate"], environment)
    baseline_rss = int(time_field(baseline, "Maximum resident set size (kbytes)"))

    watcher = Watcher(KubeConfig(kubeconfig), namespace, statefulset, "app=" + statefulset).start()
    replicas = len(watcher.initial["pod"])
    samples = []
    try:
        for cycle in range(int(cycles)):
            image = "%s/library/bench:scale-%d" % (registry, cycle + 1)
            samples.append(measure(
                "deploy", ["canary:deploy", "-Dpartition=%d" % partition, "-Dcanary.image=" + image],
                lambda number: number >= partition, common, environment, watcher, audit_log))
            samples.append(measure(
                "promote", ["canary:promote", "-Dpartition=0"],
                lambda number: number < partition, common, environment, watcher, audit_log))
    finally:
        watcher.stop()

    summary = {"benchmark": "scale", "replicas": replicas, "partition": partition,
               "maven_validate_max_rss_kb": baseline_rss, "samples": samples}
    for goal in ("deploy", "promote"):
        own = [s for s in samples if s["goal"] == goal]
        summary[goal] = {
            "plugin_s": spread([s["plugin_s"] for s in own]),
            "controller_s": spread([s["controller_s"] for s in own]),
            "overhead_s": spread([s["plugin_s"] - s["controller_s"] for s in own]),
            "detection_ms": spread([s["detection_ms"] for s in own]),
            "status_update_ms": spread([s["status_update_ms"] for s in own]),
            "plugin_after_status_ms": spread([s["plugin_after_status_ms"] for s in own]),
            "wall_s": spread([s["wall_s"] for s in own]),
            "max_rss_kb": spread([s["max_rss_kb"] for s in own]),
            "requests": spread([s["requests"]["total"] for s in own]),
        }
    with open(output, "w") as file:
        json.dump(summary, file, indent=2)


if __name__ == "__main__":
    main()
