"""Shared by the bench scripts: a free loopback port, and `vigil serve`
started on it and waited for until /healthz answers."""
import http.client
import os
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(vigil, db, data, log_dir, *extra):
    """Starts `vigil serve` on 127.0.0.1 (server.log in log_dir); returns (process, port)."""
    port = free_port()
    server = subprocess.Popen([vigil, "--db", db, "--data-dir", data, "serve", "--port", str(port),
                               "--no-dashboard", "--rate-limit", "0", *extra],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(log_dir, "server.log"), "w"))
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            c.getresponse().read()
            break
        except OSError:
            time.sleep(0.05)
    return server, port
