"""`dyadwatch serve` as a user starts it, in its own process, for the tests that need a real server."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STARTUP_S = 90


@dataclass(frozen=True)
class Served:
    port: int
    pid: int

    def connection(self, timeout: float = 30) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, alive: Callable[[], bool], deadline_s: float = STARTUP_S) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        assert alive(), "the server exited while starting"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listened on port {port} within {deadline_s} s")


@contextmanager
def dyadwatch_serve(db: str, log: Path, *options: str) -> Iterator[Served]:
    """`dyadwatch serve` as a user starts it, in its own process; stopped afterwards."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "dyadwatch.cli", "serve", "--db", db, "--port", str(port),
                                    *options], stdout=output, stderr=subprocess.STDOUT,
                                   env={**os.environ, "DYADWATCH_TOKEN": ""})
        try:
            wait_for_port(port, lambda: process.poll() is None)
            yield Served(port, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
