"""`explain` on a 100,000-character text to a real `textclass serve`, per family (issue 31).

For each family: a model fitted on UCI yelp (tutorial split) is served by `textclass serve`
(one worker, the default 10 s time limit). 50 clients send 2,000 plain one-text predictions
(bench_serve.py's aiohttp client), first alone, then while one more client sends
`{"explain": 5}` requests for a 100,000-character text (yelp sentences), one after another.
Measured: the plain clients' p99 both ways and its ratio; every explain answer's status and
seconds; the server's peak resident memory over the whole run (sampled every 20 ms) minus
its memory before the first explain. Writes benchmarks/results/serve_explain.md.

    TEXTCLASS_DATA=../shared/data python benchmarks/bench_serve_explain.py [--families ngram,rnn]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_serve import FAMILIES, drive, rss_mb, start_server, train

RESULTS = Path(__file__).with_name("results")
CHARS, CLIENTS, REQUESTS = 100_000, 50, 2_000


def long_text(texts: list[str]) -> str:
    text = ""
    for sentence in texts * 200:
        if len(text) >= CHARS:
            break
        text += sentence + " "
    return text[:CHARS]


class PeakRss(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, rss_mb(pid), True

    def run(self) -> None:
        while self.running:
            try:
                self.peak = max(self.peak, rss_mb(self.pid))
            except (OSError, AssertionError):
                return
            time.sleep(0.02)


async def explaining(url: str, text: str, stop: asyncio.Event) -> list[tuple[int, float]]:
    import aiohttp

    answers = []
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(url, timeout=timeout) as session:
        while not stop.is_set():
            started = time.perf_counter()
            async with session.post("/v1/predict", json={"texts": [text], "explain": 5}) as got:
                await got.read()
                answers.append((got.status, time.perf_counter() - started))
    return answers


async def plain_beside_explain(url: str, texts: list[str], text: str) -> tuple[dict, list]:
    stop = asyncio.Event()
    explainer = asyncio.create_task(explaining(url, text, stop))
    await asyncio.sleep(0.5)  # the first explanation is under way
    plain = await drive(url, texts, REQUESTS, CLIENTS)
    stop.set()
    return plain, await explainer


def measure(run: Path, texts: list[str]) -> dict:
    proc, url, _ = start_server(run)
    try:
        asyncio.run(drive(url, texts, 300, CLIENTS))  # warm up
        alone = asyncio.run(drive(url, texts, REQUESTS, CLIENTS))
        before = rss_mb(proc.pid)
        sampler = PeakRss(proc.pid)
        sampler.start()
        beside, answers = asyncio.run(plain_beside_explain(url, texts, long_text(texts)))
        sampler.running = False
        sampler.join()
        return {"alone": alone, "beside": beside, "explain": answers,
                "rss_growth_mb": sampler.peak - before}  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def markdown(rows: dict[str, dict], command: str) -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        "# `explain` on a 100,000-character text beside plain clients, per family",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average at the end {load}. Command: `{command}`.",
        "",
        f"A real `textclass serve` (one worker, 10 s time limit) per family (UCI yelp, tutorial "
        f"split; Keras families 5 epochs, encoder frozen). {CLIENTS} clients send {REQUESTS:,} "
        "plain one-text predictions alone, then beside one client that sends `explain: 5` "
        f"requests for a {CHARS:,}-character text one after another. Peak RSS growth: the "
        "server's resident memory sampled every 20 ms, peak minus before the first explain.",
        "",
        "| family | plain p99 alone ms | plain p99 beside explain ms | ratio | plain errors | "
        "explain answers (status × n) | explain s (max) | peak RSS growth MB |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for family, r in rows.items():
        statuses: dict[int, int] = {}
        for status, _ in r["explain"]:
            statuses[status] = statuses.get(status, 0) + 1
        shown = ", ".join(f"{s} × {n}" for s, n in sorted(statuses.items()))
        slowest = max((s for _, s in r["explain"]), default=float("nan"))
        alone, beside = r["alone"]["p99_ms"], r["beside"]["p99_ms"]
        lines.append(
            f"| {family} | {alone:.1f} | {beside:.1f} | {beside / alone:.2f} | "
            f"{r['alone']['errors'] + r['beside']['errors']} | {shown} | {slowest:.2f} | "
            f"{r['rss_growth_mb']:.0f} |"
        )
    lines += [
        "",
        "Targets (issue 31): every explain answered within the time limit or 504; peak RSS "
        "growth ≤ 200 MB; the other clients' p99 no more than 2× what it is alone.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--out", type=Path, default=RESULTS / "serve_explain.md")
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for family in args.families.split(","):
            run, texts = train(family, Path(tmp))
            rows[family] = measure(run, texts)
            print(family, {k: v for k, v in rows[family].items() if k != "explain"}, flush=True)
            args.out.parent.mkdir(exist_ok=True)
            args.out.write_text(markdown(rows, " ".join(["python", *sys.argv])), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
