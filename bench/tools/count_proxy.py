"""A TCP proxy on loopback that counts the bytes a client sends to an upstream server.

Usage: count_proxy.py LISTEN_PORT UPSTREAM_PORT COUNTER_FILE
Listens on 127.0.0.1:LISTEN_PORT and forwards every connection to 127.0.0.1:UPSTREAM_PORT. After
each chunk it rewrites COUNTER_FILE with the totals as JSON: bytes_up (client to upstream),
bytes_down and connections. Stops on SIGTERM.
"""

import json
import os
import signal
import socket
import sys
import threading

totals = {"bytes_up": 0, "bytes_down": 0, "connections": 0}
lock = threading.Lock()


def save(path):
    temporary = path + ".tmp"
    with open(temporary, "w") as file:
        json.dump(totals, file)
    os.replace(temporary, path)


def pipe(source, target, key, path):
    try:
        while True:
            chunk = source.recv(65536)
            if not chunk:
                break
            target.sendall(chunk)
            with lock:
                totals[key] += len(chunk)
                save(path)
    except OSError:
        pass
    finally:
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def main():
    listen_port, upstream_port, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    save(path)
    server = socket.create_server(("127.0.0.1", listen_port), reuse_port=False)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    while True:
        client, _ = server.accept()
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
        with lock:
            totals["connections"] += 1
            save(path)
        threading.Thread(target=pipe, args=(client, upstream, "bytes_up", path), daemon=True).start()
        threading.Thread(target=pipe, args=(upstream, client, "bytes_down", path), daemon=True).start()


if __name__ == "__main__":
    main()
