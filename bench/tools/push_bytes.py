"""Bytes that a push of v2 after v1 sends to the registry, for canary:build and jib:build.

Usage: push_bytes.py PROJECT_DIR CONTENT_DIR PROXY_PORT COUNTER_FILE REGISTRY_LOG BLOBS_DIR
                     PASSES OUTPUT_JSON
Pushes go through the counting proxy (count_proxy.py) on PROXY_PORT. Every pass and builder gets
a repository of its own and content with a label of its own, so each v2 layer is new to the
registry and its storage growth is the push's own. Per push the result has the bytes sent, the
storage growth, the registry's requests by method and path kind, and the sizes of the v2 layer,
config and manifest, whose sum is the least a push can send.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

from kubewatch import median

BUILDERS = ("canary:build", "jib:build")
REQUEST = re.compile(r'http\.request\.method=(\w+).*?http\.request\.uri=("[^"]+"|\S+)')
MANIFEST_TYPES = ", ".join([
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
])


def folder_bytes(path):
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(folder, name))
    return total


def counter(path):
    with open(path) as file:
        return json.load(file)["bytes_up"]


def registry_requests(log_path, offset):
    counts = {}
    with open(log_path, errors="replace") as file:
        file.seek(offset)
        for line in file:
            if "response completed" not in line:
                continue
            match = REQUEST.search(line)
            if not match:
                continue
            method, uri = match.group(1), match.group(2).strip('"')
            kind = ("upload" if "/blobs/uploads/" in uri else "blob" if "/blobs/" in uri
                    else "manifest" if "/manifests/" in uri else "other")
            key = "%s %s" % (method, kind)
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def image_sizes(port, repository, tag):
    request = urllib.request.Request(
        "http://127.0.0.1:%d/v2/%s/manifests/%s" % (port, repository, tag),
        headers={"Accept": MANIFEST_TYPES})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    manifest = json.loads(body)
    return {
        "layers": [layer["size"] for layer in manifest["layers"]],
        "config": manifest["config"]["size"],
        "manifest": len(body),
    }


def push(project, goal, content, repository, tag):
    command = ["mvn", "-B", "-q", goal, "-Dbench.content=" + content,
               "-Dbench.repository=" + repository, "-Dcanary.image=" + repository,
               "-Dbench.tag=" + tag]
    started = time.time()
    result = subprocess.run(command, cwd=project, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(command), result.stdout[-4000:]))
    return time.time() - started


def main():
    (project, content_dir, proxy_port, counter_file, registry_log, blobs_dir, passes,
     output) = sys.argv[1:]
    proxy_port = int(proxy_port)
    make_content = os.path.join(os.path.dirname(os.path.abspath(__file__)), "make_content.py")
    samples = []
    for index in range(int(passes)):
        for builder in BUILDERS:
            label = "%s-%d-%d" % (builder.split(":")[0], index + 1, time.time_ns())
            v1 = os.path.join(content_dir, label, "v1")
            v2 = os.path.join(content_dir, label, "v2")
            subprocess.run([sys.executable, make_content, v1, "v1 " + label], check=True)
            subprocess.run([sys.executable, make_content, v2, "v2 " + label], check=True)
            path = "library/push-" + label
            repository = "127.0.0.1:%d/%s" % (proxy_port, path)
            push(project, builder, v1, repository, "v1")
            bytes_before = counter(counter_file)
            blobs_before = folder_bytes(blobs_dir)
            log_offset = os.path.getsize(registry_log)
            seconds = push(project, builder, v2, repository, "v2")
            time.sleep(0.5)
            sent = counter(counter_file) - bytes_before
            requests = registry_requests(registry_log, log_offset)
            sizes = image_sizes(proxy_port, path, "v2")
            minimum = sum(sizes["layers"]) + sizes["config"] + sizes["manifest"]
            sample = {
                "builder": builder,
                "pass": index + 1,
                "seconds_through_proxy": round(seconds, 3),
                "bytes_up": sent,
                "storage_growth": folder_bytes(blobs_dir) - blobs_before,
                "v2_sizes": sizes,
                "minimum_bytes": minimum,
                "overhead_bytes": sent - minimum,
                "registry_requests": requests,
            }
            print("[push-bytes] %s pass %d: %d bytes up, minimum %d, requests %s"
                  % (builder, index + 1, sent, minimum, sample["registry_requests"]),
                  file=sys.stderr)
            samples.append(sample)
    summary = {"benchmark": "push-bytes", "samples": samples}
    for builder in BUILDERS:
        own = [s for s in samples if s["builder"] == builder]
        summary[builder] = {
            "bytes_up_median": median([s["bytes_up"] for s in own]),
            "minimum_bytes_median": median([s["minimum_bytes"] for s in own]),
            "storage_growth_median": median([s["storage_growth"] for s in own]),
        }
    with open(output, "w") as file:
        json.dump(summary, file, indent=2)


if __name__ == "__main__":
    main()
