"""What an operator watches: Prometheus metrics, a request id on every answer, an access log.

- ``GET /metrics`` (Prometheus text format, ``prometheus-client``): requests by route,
  model and status; latency by route; requests in flight; texts per model call (how much
  batching groups); predicted labels per model (a drift signal); each model's load and
  warm-up seconds. Under ``serve --workers N``, every worker's counts added up.
- ``X-Request-ID``: taken from the request when it is a sane token (up to 128 visible
  ASCII characters), else generated; echoed on every answer, errors included.
- The access log (``textclass serve --access-log``): one JSON line per request on stderr:
  time, request id, client, method, path, route, model, status, milliseconds.

:class:`Observed` wraps the whole app, so the answers of the other middlewares (400 Host,
401 key, 413 body) are counted and carry the id too.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import uuid
from datetime import datetime, timezone

_SANE_ID = re.compile(rb"[\x21-\x7e]{1,128}")
_SECONDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
_TEXTS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)


class Observer:
    """One server's metrics, in a registry of its own (several apps in one process)."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry()
        reg = {"registry": self.registry}
        self.requests = Counter(
            "textclass_requests", "HTTP requests by route, model and status",
            ["route", "model", "status"], **reg,
        )  # fmt: skip
        self.seconds = Histogram(
            "textclass_request_seconds", "Time to answer, by route", ["route"],
            buckets=_SECONDS, **reg,
        )  # fmt: skip
        self.in_flight = Gauge(
            "textclass_requests_in_flight", "Requests being answered",
            multiprocess_mode="livesum", **reg,
        )  # fmt: skip
        self.batch_texts = Histogram(
            "textclass_batch_texts", "Texts per model call", ["model"], buckets=_TEXTS, **reg
        )
        self.labels = Counter(
            "textclass_predictions", "Predicted labels by model", ["model", "label"], **reg
        )
        self.model_seconds = Gauge(
            "textclass_model_seconds", "Seconds to load and to warm up each model",
            ["model", "stage"], multiprocess_mode="max", **reg,
        )  # fmt: skip

    def predicted(self, model: str, predictions: list[dict]) -> None:
        for item in predictions:  # a label, or a multi-label run's label set
            chosen = item["labels"] if "labels" in item else [item["label"]]
            for one in chosen:
                self.labels.labels(model, str(one)).inc()

    def exposition(self, model_seconds: dict | None = None) -> tuple[bytes, str]:
        """The metrics in Prometheus' text format; ``model_seconds``: ``{(model, stage):
        seconds}`` (the store's load and warm-up times, as far as they are known)."""
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

        for (model, stage), seconds in (model_seconds or {}).items():
            self.model_seconds.labels(model, stage).set(seconds)
        registry = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # `serve --workers N`: all of them
            from prometheus_client.multiprocess import MultiProcessCollector

            registry = CollectorRegistry()
            MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST


class Observed:
    """ASGI middleware: the request id, the metrics and the access log of every request."""

    def __init__(self, app, observer: Observer, *, access_log: bool = False) -> None:
        self.app, self.observer, self.access_log = app, observer, access_log

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        sent = dict(scope.get("headers") or []).get(b"x-request-id", b"")
        request_id = sent.decode() if _SANE_ID.fullmatch(sent) else uuid.uuid4().hex
        status, started = 500, time.perf_counter()

        async def send_with_id(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        self.observer.in_flight.inc()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self.observer.in_flight.dec()
            self._record(scope, request_id, status, time.perf_counter() - started)

    def _record(self, scope, request_id: str, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", "unmatched")
        model = (scope.get("path_params") or {}).get("name", "-")
        self.observer.requests.labels(route, model, str(status)).inc()
        self.observer.seconds.labels(route).observe(seconds)
        if self.access_log:
            client = scope.get("client") or ("-", 0)
            line = {
                "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                "request_id": request_id, "client": client[0], "method": scope["method"],
                "path": scope["path"], "route": route, "model": model, "status": status,
                "ms": round(seconds * 1000, 2),
            }  # fmt: skip
            sys.stderr.write(json.dumps(line) + "\n")
