"""`textclass serve --workers N`: throughput of 1 and 2 worker processes behind one port.

An `ngram` model (UCI yelp, tutorial split) is served by a real `textclass serve` process
with `--workers 1` and then `--workers 2`, in alternation, `--rounds` times each; each time
an aiohttp client with 50 concurrent connections (bench_serve.py's) sends 4,000 one-text
predictions. Measured per round: requests/s, p50 / p99 latency, errors, and CPU seconds per
request of the server (the supervisor and every worker) and of the client (this process),
since on 2 cores the client's share of the CPU caps what two workers can show.
Writes benchmarks/results/serve_workers.md.

    TEXTCLASS_DATA=../shared/data python benchmarks/bench_serve_workers.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench_serve import cpu_seconds, drive, start_server, train

RESULTS = Path(__file__).with_name("results")
CLIENTS, REQUESTS = 50, 4_000


def server_pids(pid: int) -> list[int]:
    """The process and its children (uvicorn's workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                children.append(int(entry.name))
    return [pid, *children]


def serve(run: Path, workers: int) -> tuple[subprocess.Popen, str]:
    """The server, once every worker is warm: several 200s from /readyz in a row."""
    proc, url, _ = start_server(run, "--workers", str(workers), ready_in_a_row=2 * workers)
    return proc, url


def measure(run: Path, texts: list[str], workers: int) -> dict:
    proc, url = serve(run, workers)
    try:
        asyncio.run(drive(url, texts, 500, CLIENTS))  # warm every worker's connection path
        pids = server_pids(proc.pid)
        server_before = sum(cpu_seconds(p) for p in pids)
        client_before = time.process_time()
        out = asyncio.run(drive(url, texts, REQUESTS, CLIENTS))
        out["server_cpu_ms"] = (sum(cpu_seconds(p) for p in pids) - server_before) / REQUESTS * 1e3
        out["client_cpu_ms"] = (time.process_time() - client_before) / REQUESTS * 1e3
        out["processes"] = len(pids)
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def markdown(rounds: dict[int, list[dict]], command: str) -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())

    def median(workers: int, key: str) -> float:
        return float(np.median([r[key] for r in rounds[workers]]))

    lines = [
        "# `textclass serve --workers N`: throughput",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average at the end {load}. Command: `{command}`.",
        "",
        f"`ngram` on UCI yelp (tutorial split), one text per request, {CLIENTS} concurrent "
        f"connections, {REQUESTS:,} requests a round, rounds alternating between 1 and 2 workers; "
        "the medians of the rounds. CPU ms per request: user + system time of the server's "
        "processes (the supervisor and its workers) and of the client (this process).",
        "",
        "| workers | rounds | req/s | p50 ms | p99 ms | errors | server CPU ms/req | "
        "client CPU ms/req |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for workers, done in rounds.items():
        lines.append(
            f"| {workers} | {len(done)} | {median(workers, 'rps'):,.0f} | "
            f"{median(workers, 'p50_ms'):.1f} | {median(workers, 'p99_ms'):.1f} | "
            f"{sum(r['errors'] for r in done)} | {median(workers, 'server_cpu_ms'):.2f} | "
            f"{median(workers, 'client_cpu_ms'):.2f} |"
        )
    one, two = median(1, "rps"), median(2, "rps")
    pairs = [b["rps"] / a["rps"] for a, b in zip(rounds[1], rounds[2])]
    cpu_two = median(2, "server_cpu_ms") + median(2, "client_cpu_ms")
    lines += [
        "",
        f"2 workers / 1 worker: **{two / one:.2f}x** the requests per second (medians; round "
        f"by round from {min(pairs):.2f}x to {max(pairs):.2f}x on this shared machine). With "
        f"two workers a request costs {median(2, 'server_cpu_ms'):.2f} ms of server CPU against "
        f"{median(1, 'server_cpu_ms'):.2f} ms with one (each worker sees half the concurrent "
        "requests, so its model calls group fewer texts), and the client, on the same 2 cores, "
        f"{median(2, 'client_cpu_ms'):.2f} ms more: at most about {2000 / cpu_two:,.0f} "
        "requests/s could fit in the 2 cores with two workers.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS / "serve_workers.md")
    args = parser.parse_args()
    rounds: dict[int, list[dict]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp:
        run, texts = train("ngram", Path(tmp))
        for _ in range(args.rounds):
            for workers in rounds:
                rounds[workers].append(measure(run, texts, workers))
                print(workers, rounds[workers][-1], flush=True)
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(markdown(rounds, " ".join(["python", *sys.argv])), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
