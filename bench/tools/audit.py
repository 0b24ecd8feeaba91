"""Counts the API requests of one client in the kube-apiserver's audit log.

Usage: audit.py AUDIT_LOG SINCE UNTIL USER_AGENT_PREFIX
SINCE and UNTIL are epoch seconds; a request counts when it was received between them. Prints a
JSON object: the total, the counts by verb and resource, and the watches among them. Each request
counts once, although the log has a ResponseStarted and a ResponseComplete event for a watch.
"""

import collections
import json
import sys
from datetime import datetime


def count(path, since, until, agent):
    seen = {}
    with open(path) as file:
        for line in file:
            event = json.loads(line)
            if not event.get("userAgent", "").startswith(agent):
                continue
            received = datetime.fromisoformat(event["requestReceivedTimestamp"]).timestamp()
            if not since <= received <= until:
                continue
            target = event.get("objectRef", {})
            resource = target.get("resource", event.get("requestURI", "?").split("?")[0])
            if target.get("subresource"):
                resource += "/" + target["subresource"]
            seen[event["auditID"]] = "%s %s" % (event["verb"], resource)
    by_request = collections.Counter(seen.values())
    return {
        "total": len(seen),
        "watches": sum(n for key, n in by_request.items() if key.startswith("watch ")),
        "by_request": dict(sorted(by_request.items())),
    }


def main():
    path, since, until, agent = sys.argv[1:]
    print(json.dumps(count(path, float(since), float(until), agent)))


if __name__ == "__main__":
    main()
