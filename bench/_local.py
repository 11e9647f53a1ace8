"""What the benches share: a free loopback port and a local server in its own process."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    """Return once something answers on the loopback port; stop the bench if nothing does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the local server did not start on port {port}")


@contextmanager
def local_server(command: list[str], port: int, env: Mapping[str, str] | None = None,
                 timeout: float = 15.0) -> Iterator[int]:
    """`command` in its own process, listening on `port`; yields the port once it answers."""
    proc = subprocess.Popen(command, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def sink_server() -> Iterator[int]:
    """aiosmtpd with the Sink handler in its own process; yields its port."""
    port = free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
               "-c", "aiosmtpd.handlers.Sink"]
    with local_server(command, port) as ready:
        yield ready


def _client(port: int, path: str, stop: float, counts: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    n = 0
    while time.perf_counter() < stop:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status} for {path}")
        n += 1
    conn.close()
    counts.append(n)


def request_rate(port: int, path: str, seconds: float, clients: int) -> float:
    """Requests per second to `path` from `clients` keep-alive connections at once."""
    counts: list[int] = []
    stop = time.perf_counter() + seconds
    threads = [threading.Thread(target=_client, args=(port, path, stop, counts))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds
