"""A hostile client against a real `textclass serve` process (issue 31).

Every case is what a careless or hostile client did to the service before it was guarded:
half-sent requests, bodies over the limit sent whole or chunked, lone surrogates, an
explanation of a 100,000-character text, wrong and non-ASCII keys, wrong methods, a foreign
Host header, 200 clients at once mixing valid and invalid requests, and a SIGTERM in the
middle of a stream of requests. The server is the command a user runs, in its own process,
so what is measured (answers, its memory, its exit) is what an operator would see.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="serving needs the serve extra")
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402

from textclass import TextClassifier  # noqa: E402

TEXTS = ["great food", "lovely staff", "great value", "good and great"] * 3 + [
    "awful food",
    "rude staff",
    "awful value",
    "bad and awful",
] * 3
LABELS = [1] * 12 + [0] * 12
KEY = "clé-сервера-1"  # not ASCII: such a key must work
TEXTCLASS = Path(sys.executable).with_name("textclass")
ANSWER_S = 30  # how long a client waits for any one answer before the test fails


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


class Server:
    """A `textclass serve` process on a free port, ready when constructed."""

    def __init__(self, args: list[str], log: Path, env: dict | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("w") as out:  # the child keeps its own copy of the file
            self.proc = subprocess.Popen(
                [str(TEXTCLASS), "serve", *args, "--port", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
            )
        deadline = time.monotonic() + 120
        while self.status("/readyz") != 200:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"the server never became ready:\n{log.read_text()}")
            time.sleep(0.1)

    def status(self, path: str, **kwargs) -> int | None:
        try:
            return self.request(path, **kwargs)[0]
        except OSError:
            return None

    def request(self, path, body=None, headers=None, method=None, source=None):
        """``(status, parsed JSON or text, headers)``; ``source``: the client's address."""
        import http.client

        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=ANSWER_S, source_address=source
        )
        data = json.dumps(body).encode() if isinstance(body, dict | list) else body
        sent = {"Content-Type": "application/json", **(headers or {})}
        try:
            conn.request(method or ("POST" if body is not None else "GET"), path, data, sent)
            answer = conn.getresponse()
            raw = answer.read()
        finally:
            conn.close()
        kind = answer.headers.get("content-type", "")
        parsed = json.loads(raw) if raw and "json" in kind else raw.decode()
        return answer.status, parsed, answer.headers

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
        return self.proc.wait(timeout=60)


AUTH = {"Authorization": b"Bearer " + KEY.encode()}  # UTF-8 on the wire


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    TextClassifier(model="logreg", random_state=0).fit(TEXTS, LABELS).save(root / "linear")
    TextClassifier(model="embedding", epochs=2, batch_size=8, maxlen=16, random_state=0).set_params(
        model__embedding_dim=8
    ).fit(TEXTS, LABELS).save(root / "network")
    return root


@pytest.fixture(scope="module")
def server(runs, tmp_path_factory):
    """Both models behind a key, with a short read timeout (1 s) and the other limits
    at their documented defaults."""
    log = tmp_path_factory.mktemp("log") / "serve.log"
    args = [str(runs / "linear"), str(runs / "network"), "--default", "linear"]
    # 4 s to send a request whole: a stalled one waits that long, and a 10 MB body sent on a
    # loaded 2-core machine (read and dropped for its 413) must fit in it (1 s did not, once)
    args += ["--api-key-env", "HOSTILE_KEY", "--read-timeout", "4"]
    running = Server(args, log, env={"HOSTILE_KEY": KEY})
    yield running
    running.stop()


def raw_exchange(port: int, sent: bytes) -> bytes:
    """Send ``sent`` and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=ANSWER_S) as conn:
        conn.sendall(sent)
        answer = b""
        while part := conn.recv(65536):
            answer += part
    return answer


def test_half_sent_requests_are_answered_408_or_closed(server):
    half_line = b"POST /v1/predi"
    half_body = (
        b"POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1048576\r\n"
    )
    key = b"Authorization: " + AUTH["Authorization"] + b"\r\n"
    sent = [half_line, half_body + key + b"\r\n0123456789", half_body + b"\r\n0123456789"]
    with ThreadPoolExecutor(len(sent)) as pool:  # the three wait out the timeout together
        line, body, refused = pool.map(lambda x: raw_exchange(server.port, x), sent)
    assert line.startswith(b"HTTP/1.1 408")
    assert body == b""  # closed, not held for a minute (the app was waiting for the body)
    # without the key: the 401 at once, then closed when the body stalls (no 408 after it)
    assert refused.startswith(b"HTTP/1.1 401") and refused.count(b"HTTP/1.1") == 1
    assert server.request("/v1/predict", {"texts": ["great"]}, AUTH)[0] == 200


def test_bodies_over_the_limit_get_a_readable_413(server):
    """urllib sends the whole body before it reads: 10 MB still reads the 413, and a
    chunked body (no Content-Length) over the limit too."""
    big = json.dumps({"texts": ["x" * 50_000] * 200}).encode()  # 10 MB
    for body in (big, iter([big[i : i + 65536] for i in range(0, 2 << 20, 65536)])):
        headers = {**AUTH, "Content-Type": "application/json"}
        if not isinstance(body, bytes):
            headers["Transfer-Encoding"] = "chunked"
        request = urllib.request.Request(f"{server.url}/v1/predict", body, headers)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=ANSWER_S)
        assert refused.value.code == 413
        assert "limit" in json.loads(refused.value.read())["error"]


def test_surrogates_and_a_long_text_explained_within_bounded_memory(server):
    """A lone surrogate is classified, not a 500; explaining a 100,000-character text on
    either model is answered (or 504), and the server's memory grows by under 200 MB."""
    for model in ("linear", "network"):
        path = f"/v1/models/{model}/predict"
        status, answer, _ = server.request(
            path, '{"texts": ["great \\ud800 food"], "explain": 3}', AUTH
        )
        assert status == 200 and answer["predictions"][0]["explanation"], answer
    rng = random.Random(0)
    words = "great food awful staff lovely rude value bad good".split()
    long_text = " ".join(rng.choice(words) + str(rng.randrange(999)) for _ in range(20_000))
    long_text = long_text[:100_000]
    before = rss_mb(server.proc.pid)
    for model in ("linear", "network"):
        path = f"/v1/models/{model}/predict"
        status, answer, _ = server.request(path, {"texts": [long_text], "explain": 5}, AUTH)
        assert status in (200, 504), answer
    assert rss_mb(server.proc.pid) - before < 200


def test_keys_methods_and_host(server):
    assert server.request("/v1/models", headers={"Authorization": "Bearer nope"})[0] == 401
    assert server.request("/v1/models", headers=AUTH)[0] == 200  # the non-ASCII key
    assert server.request("/v1/predict", b"{not json")[0] == 401  # key before body
    status, _, headers = server.request("/healthz", method="DELETE")
    assert status == 405 and "GET" in headers["allow"]
    assert server.request("/readyz", method="HEAD")[0] == 200
    status, answer, _ = server.request("/healthz", headers={"Host": "rebind.example"})
    assert status == 400 and "rebind.example" in answer["error"]
    # a key guesser (from its own address, so the other tests' address stays free)
    guesser = ("127.0.0.2", 0)
    wrong = {"Authorization": "Bearer guess"}
    statuses = [server.request("/v1/models", headers=wrong, source=guesser)[0] for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    status, _, headers = server.request("/v1/models", headers=AUTH, source=guesser)
    assert status == 429 and int(headers["retry-after"]) > 0


async def _exchange(port: int, request: bytes, source: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    try:
        writer.write(request)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), ANSWER_S)
        return int(status_line.split()[1])
    finally:
        writer.close()


def _mixed_requests() -> list[tuple[bytes, set[int], str]]:
    """(request, statuses it may get, source address) for each kind of client."""

    def post(path: str, body: bytes, key: str = KEY) -> bytes:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        ).encode()
        return head + b"Authorization: Bearer " + key.encode() + b"\r\n\r\n" + body

    return [
        (post("/v1/predict", b'{"texts": ["great food"]}'), {200}, "127.0.0.1"),
        (post("/v1/models/network/predict", b'{"texts": ["rude staff"]}'), {200}, "127.0.0.1"),
        (post("/v1/predict", b'{"texts": [""]}'), {422}, "127.0.0.1"),
        (post("/v1/predict", b'{"texts": '), {400}, "127.0.0.1"),
        (post("/v1/models/nope/predict", b'{"texts": ["a"]}'), {404}, "127.0.0.1"),
        (post("/v1/predict", b'{"texts": ["a"]}', key="wrong"), {401, 429}, "127.0.0.3"),
        (
            b"GET /healthz HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
            {400},
            "127.0.0.1",
        ),
    ]


async def _load(port: int, clients: int, per_client: int) -> list[tuple[int, set[int]]]:
    kinds = _mixed_requests()

    async def client(seed: int):
        rng, got = random.Random(seed), []
        for _ in range(per_client):
            request, expected, source = rng.choice(kinds)
            got.append((await _exchange(port, request, source), expected))
        return got

    done = await asyncio.gather(*(client(seed) for seed in range(clients)))
    return [item for one in done for item in one]


def test_200_clients_mixing_valid_and_invalid_requests(server):
    """0 unexpected statuses, and the server's memory grows by under 10 % once warm."""
    asyncio.run(_load(server.port, 50, 4))  # every kind once through, caches filled
    before = rss_mb(server.proc.pid)
    answers = asyncio.run(_load(server.port, 200, 10))
    unexpected = [(status, expected) for status, expected in answers if status not in expected]
    assert len(answers) == 2000 and not unexpected, unexpected[:10]
    assert rss_mb(server.proc.pid) < before * 1.10


def test_metrics_parse_and_count_what_was_answered(server):
    server.request("/v1/predict", {"texts": ["great"]}, AUTH)
    server.request("/v1/models", headers={"Authorization": "Bearer nope"}, source=("127.0.0.4", 0))
    server.request("/healthz", headers={"Host": "rebind.example"})
    status, text, _ = server.request("/metrics")
    assert status == 200
    families = {f.name: f for f in text_string_to_metric_families(text)}
    answered = {
        (s.labels["route"], s.labels["status"]): s.value
        for s in families["textclass_requests"].samples
        if s.name == "textclass_requests_total"
    }
    assert answered[("/v1/predict", "200")] >= 1
    # the Host and key checks answer before routing: their route is "unmatched"
    assert answered[("unmatched", "401")] >= 1 and answered[("unmatched", "400")] >= 1
    assert {"textclass_request_seconds", "textclass_batch_texts"} <= set(families)


def test_workers_then_sigterm_loses_no_accepted_request(runs, tmp_path):
    """Two workers behind one port, their metrics added up; on SIGTERM /readyz turns 503
    while requests are still answered, a request in flight (its body still coming) is
    answered, then the port refuses, and the supervisor exits 0."""
    args = [str(runs / "linear"), "--workers", "2", "--drain-seconds", "1", "--read-timeout", "60"]
    server = Server(args, tmp_path / "log")
    try:
        for _ in range(20):
            assert server.request("/v1/predict", {"texts": ["great"]})[0] == 200
        metrics = server.request("/metrics")[1]
        assert (
            'textclass_requests_total{model="-",route="/v1/predict",status="200"} 20.0' in metrics
        )
        body = b'{"texts": ["great food"]}'
        in_flight = socket.create_connection(("127.0.0.1", server.port), timeout=ANSWER_S)
        in_flight.sendall(
            b"POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:5]
        )
        stream = _Stream(server)
        stream.start()
        stream.answered.wait(ANSWER_S)
        server.proc.send_signal(signal.SIGTERM)
        stream.join(ANSWER_S)
        assert stream.statuses and set(stream.statuses) == {200}, stream.statuses
        assert stream.saw_stopping and stream.answered_after_stopping
        while server.status("/healthz") is not None:  # until the port refuses
            time.sleep(0.05)
        in_flight.sendall(body[5:])
        with in_flight:
            assert in_flight.recv(65536).startswith(b"HTTP/1.1 200")
        assert server.proc.wait(timeout=60) == 0
    finally:
        server.stop()


class _Stream(threading.Thread):
    """A client sending predictions until /readyz says 503, then one more (a balancer is
    slower to notice): every request it sends must be answered 200."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server, self.statuses = server, []
        self.answered = threading.Event()
        self.saw_stopping = self.answered_after_stopping = False

    def run(self) -> None:
        while not self.saw_stopping:
            self.statuses.append(self.server.request("/v1/predict", {"texts": ["great"]})[0])
            self.answered.set()
            self.saw_stopping = self.server.status("/readyz") == 503
        status = self.server.request("/v1/predict", {"texts": ["great"]})[0]
        self.statuses.append(status)
        self.answered_after_stopping = status == 200
