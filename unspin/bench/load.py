"""A load run against ``unspin serve`` on loopback: clients checking while a writer adds sources.

Starts a real server process on a free loopback port over a fresh index of the bundled
sources, runs ``clients`` threads posting suspects to ``POST /check`` and one writer posting
new sources to ``POST /sources`` for ``seconds``, then reads every written id back. Reports
requests per second, latency percentiles, errors by status, and lost writes. Bounded in time
and count, and it only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np

from unspin.document import Document
from unspin.index import Index
from unspin.read import read_documents

HOST = "127.0.0.1"
MAX_REQUESTS = 200_000  # a hard stop whatever the duration


@dataclass
class LoadReport:
    """What a load run measured."""

    clients: int
    seconds: float
    checks: list[float] = field(default_factory=list)  # latency of each check, seconds
    writes: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        checks = np.array(self.checks or [0.0]) * 1000
        writes = np.array(self.writes or [0.0]) * 1000
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 1),
            "checks": len(self.checks),
            "checks_per_second": round(len(self.checks) / self.seconds, 1),
            "check_p50_ms": round(float(np.percentile(checks, 50)), 1),
            "check_p99_ms": round(float(np.percentile(checks, 99)), 1),
            "writes": len(self.writes),
            "write_p50_ms": round(float(np.percentile(writes, 50)), 1),
            "write_p99_ms": round(float(np.percentile(writes, 99)), 1),
            "statuses": dict(sorted(self.statuses.items())),
            "server_errors": sum(n for status, n in self.statuses.items() if status >= 500),
            "transport_errors": len(self.errors),
            "lost_writes": len(self.lost),
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def run_load(sources: Path, suspects: Path, clients: int = 4, seconds: float = 20.0, seed: int = 0) -> LoadReport:
    """Start a server over ``sources``, load it with checks of ``suspects`` and writes; report."""
    suspect_texts = [d.text for d in read_documents([str(suspects)]) if isinstance(d, Document)]
    if not suspect_texts:
        raise ValueError(f"no readable suspects in {suspects}")
    with tempfile.TemporaryDirectory(prefix="unspin-load-") as folder:
        db = Path(folder) / "load.db"
        with Index(db) as index:
            for _ in index.add(d for d in read_documents([str(sources)]) if isinstance(d, Document)):
                pass
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "unspin.cli", "serve", "--db", str(db), "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://{HOST}:{port}"
            _wait_until_up(base)
            return _load(base, suspect_texts, clients, seconds, seed)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_until_up(base: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {base} did not start within {timeout:.0f} s")


def _load(base: str, suspects: list[str], clients: int, seconds: float, seed: int) -> LoadReport:
    report = LoadReport(clients=clients, seconds=seconds)
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    budget = iter(range(MAX_REQUESTS))

    def record(kind: list[float], started: float, status: int) -> None:
        with lock:
            kind.append(time.monotonic() - started)
            report.statuses[status] = report.statuses.get(status, 0) + 1

    def checker(number: int) -> None:
        rng = random.Random(seed + number)
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.monotonic() < stop and next(budget, None) is not None:
                started = time.monotonic()
                try:
                    response = client.post("/check", json={"text": rng.choice(suspects)})
                    record(report.checks, started, response.status_code)
                except httpx.TransportError as error:
                    with lock:
                        report.errors.append(f"check: {error!r}")

    def writer() -> None:
        rng = random.Random(seed)
        words = " ".join(suspects).split()
        with httpx.Client(base_url=base, timeout=60) as client:
            n = 0
            while time.monotonic() < stop and next(budget, None) is not None:
                doc_id = f"load-{seed}-{n}"
                text = " ".join(rng.choice(words) for _ in range(200))
                started = time.monotonic()
                try:
                    response = client.post("/sources", json={"id": doc_id, "text": text})
                    record(report.writes, started, response.status_code)
                    if response.status_code < 300:
                        with lock:
                            report.written.append(doc_id)
                except httpx.TransportError as error:
                    with lock:
                        report.errors.append(f"write: {error!r}")
                n += 1

    threads = [threading.Thread(target=checker, args=(n,)) for n in range(clients)]
    threads.append(threading.Thread(target=writer))
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.seconds = time.monotonic() - began
    with httpx.Client(base_url=base, timeout=60) as client:
        report.lost = [d for d in report.written if client.get("/source", params={"id": d}).status_code != 200]
    return report
