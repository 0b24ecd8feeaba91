"""Watches pods and a StatefulSet through the API server and stamps each event on receipt.

The benchmarks time the plugin against these stamps, taken in a process of their own, because
the pods' lastTransitionTime has a resolution of one second. Only the standard library is used:
the client certificate comes from the admin kubeconfig that src/test/cluster/start writes.
"""

import base64
import http.client
import json
import os
import re
import socket
import ssl
import tempfile
import threading
import time
import urllib.parse
from datetime import datetime


class KubeConfig:
    """Server address and TLS context of a kubeconfig with embedded client certificate data."""

    def __init__(self, path):
        with open(path) as file:
            text = file.read()

        def field(name):
            match = re.search(r"^\s*%s:\s*(\S+)\s*$" % re.escape(name), text, re.MULTILINE)
            if not match:
                raise ValueError("%s: missing field %s" % (path, name))
            return match.group(1)

        url = urllib.parse.urlparse(field("server"))
        self.host = url.hostname
        self.port = url.port or 443
        self.context = ssl.create_default_context(
            cadata=base64.b64decode(field("certificate-authority-data")).decode())
        # ssl loads a client certificate only from files.
        with tempfile.TemporaryDirectory() as folder:
            certificate = os.path.join(folder, "client.crt")
            key = os.path.join(folder, "client.key")
            with open(certificate, "wb") as file:
                file.write(base64.b64decode(field("client-certificate-data")))
            with open(key, "wb") as file:
                file.write(base64.b64decode(field("client-key-data")))
            self.context.load_cert_chain(certificate, key)

    def connect(self, timeout=None):
        return http.client.HTTPSConnection(
            self.host, self.port, context=self.context, timeout=timeout)

    def get_json(self, path):
        connection = self.connect(timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError("GET %s failed: HTTP %d %s" % (path, response.status, body[:200]))
            return json.loads(body)
        finally:
            connection.close()


def pod_summary(pod):
    status = pod.get("status", {})
    ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                for c in status.get("conditions", []))
    metadata = pod["metadata"]
    return {
        "name": metadata["name"],
        "revision": metadata.get("labels", {}).get("controller-revision-hash", ""),
        "ready": ready,
        "deleting": "deletionTimestamp" in metadata,
        "uid": metadata.get("uid", ""),
    }


def statefulset_summary(statefulset):
    spec = statefulset.get("spec", {})
    status = statefulset.get("status", {})
    strategy = spec.get("updateStrategy", {}).get("rollingUpdate", {})
    return {
        "name": statefulset["metadata"]["name"],
        "generation": statefulset["metadata"].get("generation", 0),
        "observedGeneration": status.get("observedGeneration", 0),
        "replicas": spec.get("replicas", 0),
        "partition": strategy.get("partition", 0),
        "readyReplicas": status.get("readyReplicas", 0),
        "updatedReplicas": status.get("updatedReplicas", 0),
        "currentRevision": status.get("currentRevision", ""),
        "updateRevision": status.get("updateRevision", ""),
        "image": spec.get("template", {}).get("spec", {}).get("containers", [{}])[0].get("image"),
    }


class Watcher:
    """Collects summarised watch events of the pods and the StatefulSet, from now on.

    Each event is a dict with "t" (time.time() on receipt), "kind" ("pod" or "sts"), "type"
    (ADDED, MODIFIED, DELETED) and the fields of pod_summary or statefulset_summary.
    """

    def __init__(self, config, namespace, statefulset, selector):
        self.config = config
        self.namespace = namespace
        self.events = []
        # The listed objects per kind ("pod", "sts"), as they were when the watch started.
        self.initial = {}
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.stopped = False
        self.connections = []
        self.ready = threading.Barrier(3)
        ns = urllib.parse.quote(namespace)
        self.streams = [
            ("pod", pod_summary, "/api/v1/namespaces/%s/pods" % ns,
             "labelSelector=" + urllib.parse.quote(selector)),
            ("sts", statefulset_summary, "/apis/apps/v1/namespaces/%s/statefulsets" % ns,
             "fieldSelector=" + urllib.parse.quote("metadata.name=" + statefulset)),
        ]

    def start(self):
        for stream in self.streams:
            threading.Thread(target=self._run, args=stream, daemon=True).start()
        self.ready.wait(timeout=30)
        return self

    def _run(self, kind, summarise, path, query):
        # A list first, so the watch starts at its resourceVersion and sends only changes.
        listed = self.config.get_json(path + "?" + query)
        version = listed["metadata"]["resourceVersion"]

        with self.lock:
            self.initial[kind] = [summarise(item) for item in listed["items"]]
        connection = self.config.connect()
        self.connections.append(connection)
        connection.request(
            "GET", "%s?%s&watch=true&resourceVersion=%s&timeoutSeconds=3600"
            % (path, query, version))
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError("watch %s failed: HTTP %d" % (path, response.status))
        self.ready.wait(timeout=30)

        try:
            for line in response:
                received = time.time()
                if not line.strip():
                    continue
                event = json.loads(line)
                if event["type"] not in ("ADDED", "MODIFIED", "DELETED"):
                    continue
                summary = summarise(event["object"])
                summary.update({"t": received, "kind": kind, "type": event["type"]})
                with self.changed:
                    self.events.append(summary)
                    self.changed.notify_all()
        # stop() shuts the socket down under the reading thread, which then fails in one of these
        # ways inside http.client.
        except (OSError, ValueError, AttributeError, http.client.HTTPException):
            if not self.stopped:
                raise

    def snapshot(self):
        with self.lock:
            return list(self.events)

    def wait_for(self, predicate, timeout):
        """Blocks until predicate(events) is true; returns whether it became true in time."""
        deadline = time.time() + timeout
        with self.changed:
            while not predicate(self.events):
                remaining = deadline - time.time()
                if remaining <= 0:
                    return False
                self.changed.wait(remaining)
            return True

    def stop(self):
        self.stopped = True
        for connection in self.connections:
            try:
                connection.sock.shutdown(socket.SHUT_RDWR)
            except (OSError, AttributeError):
                pass


MAVEN_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) ")


def maven_line_time(line):
    """Returns the epoch seconds of a Maven log line printed with BENCH_MAVEN_OPTS, or None."""
    match = MAVEN_TIME.match(line)
    if not match:
        return None
    stamp = match.group(1).replace("Z", "+00:00")
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def first_line_time(lines, text):
    for line in lines:
        if text in line:
            stamp = maven_line_time(line)
            if stamp is not None:
                return stamp
    return None


def median(values):
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def spread(values):
    """Returns min, max and the interquartile range, as a measure of noise."""
    ordered = sorted(values)
    if not ordered:
        return {}
    def quantile(q):
        position = q * (len(ordered) - 1)
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return {"min": ordered[0], "max": ordered[-1], "q1": quantile(0.25), "q3": quantile(0.75),
            "median": median(ordered), "n": len(ordered)}
