"""Prints the figures of bench/results as Markdown tables, for BENCHMARKS.md.

Usage: summary.py RESULTS_DIR
"""

import json
import os
import sys


def load(folder, name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return None
    with open(path) as file:
        return json.load(file)


def hyperfine_rows(result):
    rows = []
    for entry in result["results"]:
        times = sorted(entry["times"])
        rows.append((entry["command"], entry["median"], times[0], times[-1], len(times)))
    return rows


def print_hyperfine(title, result):
    if not result:
        return
    rows = hyperfine_rows(result)
    print("\n### %s (load %s before, %s after)\n" % (title, result.get("load_before"),
                                                   result.get("load_after")))
    print("| command | median | min | max | runs | ratio to first |")
    print("|---|---|---|---|---|---|")
    for command, median, low, high, runs in rows:
        print("| %s | %.3f s | %.3f s | %.3f s | %d | %.2f |"
              % (command, median, low, high, runs, median / rows[0][1]))


def print_spread(label, values, unit, scale=1.0):
    if not values:
        return
    print("| %s | %.1f %s | %.1f–%.1f %s | %.1f–%.1f %s | %d |"
          % (label, values["median"] * scale, unit, values["q1"] * scale, values["q3"] * scale,
             unit, values["min"] * scale, values["max"] * scale, unit, values["n"]))


def print_detection(detection):
    if not detection:
        return
    print("### Detection (load %s before, %s after)\n"
          % (detection.get("load_before"), detection.get("load_after")))
    print("| from the last canary pod Ready to | median | quartiles | range | runs |")
    print("|---|---|---|---|---|")
    print_spread("StatefulSet status update (controller)", detection["status_update_ms"], "ms")
    print_spread("canary:deploy \"rollout complete\" line", detection["plugin_ms"], "ms")
    print_spread("canary:deploy summary line", detection["plugin_summary_ms"], "ms")
    print_spread("kubectl rollout status \"roll out complete\"", detection["kubectl_ms"], "ms")
    print_spread("canary:deploy, after the status update", detection["plugin_after_status_ms"],
                 "ms")
    print_spread("kubectl, after the status update", detection["kubectl_after_status_ms"], "ms")
    print("\nratio plugin / kubectl (medians): %s" % detection["ratio_plugin_to_kubectl"])


def print_push_bytes(push_bytes):
    if not push_bytes:
        return
    print("\n| builder | bytes sent (median) | layers + config + manifest | storage growth |")
    print("|---|---|---|---|")
    for builder in ("canary:build", "jib:build"):
        own = push_bytes[builder]
        print("| %s | %d | %d | %d |" % (builder, own["bytes_up_median"],
                                         own["minimum_bytes_median"],
                                         own["storage_growth_median"]))


def print_scale(scale):
    if not scale:
        return
    print("\n### Scale: %d replicas, partition %d (load %s before, %s after; mvn validate "
          "max RSS %d kB)\n" % (scale["replicas"], scale["partition"], scale.get("load_before"),
                                 scale.get("load_after"), scale["maven_validate_max_rss_kb"]))
    print("| goal: figure | median | quartiles | range | runs |")
    print("|---|---|---|---|---|")
    for goal in ("deploy", "promote"):
        own = scale[goal]
        print_spread(goal + ": plugin (patch to rollout complete)", own["plugin_s"], "s")
        print_spread(goal + ": controller (first deletion to last Ready)", own["controller_s"], "s")
        print_spread(goal + ": detection after last Ready", own["detection_ms"], "ms")
        print_spread(goal + ": of which status update", own["status_update_ms"], "ms")
        print_spread(goal + ": of which plugin after status", own["plugin_after_status_ms"], "ms")
        print_spread(goal + ": mvn wall time", own["wall_s"], "s")
        print_spread(goal + ": max RSS", own["max_rss_kb"], "MiB", 1 / 1024)
        print_spread(goal + ": API requests", own["requests"], "")


def main():
    folder = sys.argv[1]
    print_detection(load(folder, "detection.json"))
    print_hyperfine("Canary step", load(folder, "step.json"))
    requests = load(folder, "step-requests.json")
    if requests:
        print("\nrequests: canary:deploy %s, kubectl %s"
              % (requests["canary:deploy"], requests["kubectl"]))
    print_hyperfine("Push v2 after v1", load(folder, "push.json"))
    print_push_bytes(load(folder, "push-bytes.json"))
    print_scale(load(folder, "scale.json"))
    print_hyperfine("Start-up", load(folder, "startup.json"))


if __name__ == "__main__":
    main()
