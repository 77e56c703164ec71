"""`textclass serve` under load: latency, throughput, errors and memory, per model family.

For each family a model is trained on the UCI yelp sentences (the tutorial split), saved,
and served by a real `textclass serve` process on 127.0.0.1. A bounded asyncio client
(aiohttp: `pip install 'textclass[loadtest]'`) then sends one text per request:

- 1 client, sequential requests: p50 / p99 latency;
- 50 and 200 concurrent clients: requests/s, p99, errors;
- 10,000 requests: the server's resident memory before and after.

The in-process `predict_proba` latency of the same artifact is measured beside it, so the
HTTP overhead shows. Writes benchmarks/results/serve.md.

    TEXTCLASS_DATA=../shared/data python benchmarks/bench_serve.py [--families logreg,ngram]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).with_name("results")
FAMILIES = ("ngram", "logreg", "embedding", "cnn", "rnn", "encoder")
TRAIN = {
    "embedding": {"epochs": 5},
    "cnn": {"epochs": 5},
    "rnn": {"epochs": 5},
    "encoder": {"maxlen": 64},  # frozen all-MiniLM-L6-v2 + linear head, as bench_encoder.py
}
SEQUENTIAL = 500
CONCURRENT = {50: 2_000, 200: 4_000}
MEMORY_REQUESTS = 10_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def train(family: str, folder: Path) -> tuple[Path, list[str]]:
    from textclass import TextClassifier, load_dataset, split_dataset

    train_set, test = split_dataset(load_dataset("uci-sentiment:yelp"), test_size=0.25, seed=1000)
    clf = TextClassifier(model=family, random_state=0, **TRAIN.get(family, {}))
    clf.fit(train_set.texts, train_set.labels).save(folder / family)
    return folder / family, list(test.texts)


def in_process_latency(run: Path, texts: list[str]) -> dict:
    from textclass import TextClassifier

    clf = TextClassifier.load(run)
    started = time.perf_counter()
    clf.predict_proba(texts[:1])
    first = time.perf_counter() - started
    times = []
    for i in range(300):
        started = time.perf_counter()
        clf.predict_proba([texts[i % len(texts)]])
        times.append(time.perf_counter() - started)
    return {"first_ms": first * 1e3, "p50_ms": np.median(times) * 1e3}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def drive(url: str, texts: list[str], n: int, clients: int, pid: int | None = None) -> dict:
    """``n`` requests from ``clients`` concurrent connections (aiohttp: httpx's client
    tops out near 80 requests/s at 50 connections here and measures itself, not us)."""
    import aiohttp

    latencies, errors = [], 0
    queue = iter(range(n))
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(url, connector=connector, timeout=timeout) as session:

        async def worker():
            nonlocal errors
            for i in queue:
                body = {"texts": [texts[i % len(texts)]]}
                started = time.perf_counter()
                try:
                    async with session.post("/v1/predict", json=body) as response:
                        await response.read()
                        ok = response.status == 200
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

        cpu_before = cpu_seconds(pid) if pid else float("nan")
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        seconds = time.perf_counter() - started
        cpu = (cpu_seconds(pid) - cpu_before) if pid else float("nan")
    lat = np.asarray(latencies) * 1e3
    return {
        "requests": n,
        "rps": n / seconds,
        "p50_ms": float(np.percentile(lat, 50)),
        "p99_ms": float(np.percentile(lat, 99)),
        "errors": errors,
        "server_cpu_ms": cpu / n * 1e3,
    }


def start_server(run: Path, *options: str, ready_in_a_row: int = 1, limit_s: float = 300):
    """``(process, url, seconds to ready)``: ``textclass serve run *options`` on a free port,
    once ``/readyz`` answered 200 ``ready_in_a_row`` times running (one per worker)."""
    import httpx

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    script = Path(sys.executable).parent / "textclass"
    proc = subprocess.Popen(
        [str(script), "serve", str(run), "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started, ready = time.perf_counter(), 0
    while ready < ready_in_a_row:
        try:
            ready = ready + 1 if httpx.get(f"{url}/readyz").status_code == 200 else 0
        except httpx.TransportError:
            ready = 0
        if proc.poll() is not None or time.perf_counter() - started > limit_s:
            proc.kill()
            raise RuntimeError(f"server for {run} did not become ready")
        time.sleep(0.05)
    return proc, url, time.perf_counter() - started


def serve_and_measure(run: Path, texts: list[str]) -> dict:
    proc, url, ready_s = start_server(run, limit_s=120)
    try:
        out = {"ready_s": ready_s}
        asyncio.run(drive(url, texts, 100, 1))  # warm the connection path
        out["sequential"] = asyncio.run(drive(url, texts, SEQUENTIAL, 1, proc.pid))
        for clients, n in CONCURRENT.items():
            out[f"c{clients}"] = asyncio.run(drive(url, texts, n, clients, proc.pid))
        before = rss_mb(proc.pid)
        memory = asyncio.run(drive(url, texts, MEMORY_REQUESTS, 50))
        after = rss_mb(proc.pid)
        out["memory"] = {"before_mb": before, "after_mb": after, "errors": memory["errors"]}
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def markdown(rows: dict[str, dict], command: str) -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        "# `textclass serve` under load",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average at the end {load}. Command: `{command}`.",
        "",
        "Each family: trained on UCI yelp (tutorial split; Keras families 5 epochs, encoder frozen), served by a "
        "real `textclass serve` process (one worker) on 127.0.0.1, driven by an aiohttp asyncio "
        "client in another process, one text per request (`POST /v1/predict`). In-process: "
        "`predict_proba([text])` on the loaded artifact, first call and p50 of 300. Server CPU: "
        "the server process's user + system CPU time per request at 1 and 50 clients (it moves "
        "less with the machine's load than latency does).",
        "",
        "| family | ready s | in-process first ms | in-process p50 ms | 1 client p50 ms | "
        "1 client p99 ms | 50 clients req/s | 50 p99 ms | 200 clients req/s | 200 p99 ms | "
        "server CPU ms/req (1, 50) | errors | RSS before → after 10k MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for family, r in rows.items():
        s, c50, c200, m = r["sequential"], r["c50"], r["c200"], r["memory"]
        errors = s["errors"] + c50["errors"] + c200["errors"] + m["errors"]
        lines.append(
            f"| {family} | {r['ready_s']:.1f} | {r['local']['first_ms']:.1f} | "
            f"{r['local']['p50_ms']:.2f} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} | "
            f"{c50['rps']:,.0f} | {c50['p99_ms']:.1f} | {c200['rps']:,.0f} | {c200['p99_ms']:.1f} | "
            f"{s['server_cpu_ms']:.2f}, {c50['server_cpu_ms']:.2f} | {errors} | {m['before_mb']:.0f} → {m['after_mb']:.0f} "
            f"({(m['after_mb'] / m['before_mb'] - 1) * 100:+.1f} %) |"
        )
    lines += [
        "",
        "Targets (issue): 1 client p50 ≤ 5 ms and p99 ≤ 20 ms; 0 errors at 50 and 200 clients; "
        "memory growth < 10 % over 10,000 requests; in-process p50 ≤ 1 ms (linear) and ≤ 2 ms "
        "(Keras). The encoder (frozen MiniLM, 22 M parameters) has issue 12's own target: "
        "single-text p50 ≤ 20 ms in-process; its test texts are not in the vector cache, so "
        "every request runs the encoder. The client runs on the same 2 cores as the server, "
        "so requests/s is a floor.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--out", type=Path, default=RESULTS / "serve.md")
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for family in args.families.split(","):
            run, texts = train(family, Path(tmp))
            rows[family] = {"local": in_process_latency(run, texts)}
            rows[family].update(serve_and_measure(run, texts))
            print(family, rows[family], flush=True)
            args.out.parent.mkdir(exist_ok=True)
            args.out.write_text(markdown(rows, " ".join(["python", *sys.argv])), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
