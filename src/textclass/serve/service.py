"""What every route shares: the served models, the prediction thread, the limits.

Predictions run on one worker thread (models are not shared between threads),
concurrent requests grouped into one model call (:mod:`.batching`), each under a
per-request time limit. Explanations run on a thread of their own, one at a time, their
model calls on the prediction thread: a long one takes turns with plain requests instead
of holding them up. Nothing here imports FastAPI or pydantic: the routes reach
the service through :mod:`.routes.dependencies`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from textclass.preprocessing.validation import empty_rows
from textclass.serve.batching import Batcher
from textclass.serve.models import ModelStore, ServedModel
from textclass.serve.observability import Observer


@dataclass(frozen=True)
class ServeSettings:
    """Limits and access rules of one server (defaults are the documented ones)."""

    max_body_bytes: int = 1 << 20  # 1 MiB -> 413
    max_texts: int = 256  # per request -> 422
    max_chars: int = 100_000  # per text -> 422
    timeout_s: float = 10.0  # per request -> 504
    # when set, /v1 needs "Authorization: Bearer <key>"; never shown in a repr or a log
    api_key: str | None = field(default=None, repr=False)
    max_key_failures: int = 10  # wrong keys per client address per minute -> 429
    cors_origins: tuple[str, ...] = field(default_factory=tuple)  # CORS off when empty
    # Host headers answered (any port); empty: any (`textclass serve` sets loopback names
    # for a loopback bind: see serve/access.py)
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)
    access_log: bool = False  # a JSON line per request on stderr (serve/observability.py)
    # on SIGTERM, seconds of /readyz 503 while still serving, before the port closes
    # (serve/stopping.py)
    drain_s: float = 2.0


class ServeError(Exception):
    """An HTTP error with a message for the client (becomes ``{"error": message}``)."""

    def __init__(self, status: int, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


@dataclass
class Service:
    """One server's models, its prediction thread with a batcher per model, its settings."""

    store: ModelStore
    settings: ServeSettings
    executor: ThreadPoolExecutor
    batchers: dict[str, Batcher]
    observer: Observer
    explainer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="textclass-explain")
    )
    # set by SIGTERM (serve/stopping.py): /readyz says 503 while requests are still served
    stopping: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def create(cls, store: ModelStore, settings: ServeSettings) -> Service:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="textclass-predict")
        observer = Observer()
        batchers = {
            name: Batcher(
                model,
                executor,
                max_texts=settings.max_texts,
                on_call=observer.batch_texts.labels(name).observe,
            )  # fmt: skip
            for name, model in store.models.items()
        }
        return cls(store, settings, executor, batchers, observer)

    def start(self, *, warm_up: bool) -> None:
        """At app start-up: warm the models up on the prediction thread (or call them ready),
        and, in a server process's main thread, take SIGTERM for a graceful stop."""
        from textclass.serve.stopping import drain_on_sigterm

        drain_on_sigterm(self.stopping, self.settings.drain_s)
        if warm_up:
            # on the prediction thread: a request that comes before /readyz waits for the
            # warm-up instead of running the same model on a second thread beside it
            self.executor.submit(self.store.warm_up)
        else:
            self.store.ready.set()

    def stop(self) -> None:
        for pool in (self.executor, self.explainer):
            pool.shutdown(wait=False, cancel_futures=True)

    def model(self, name: str) -> ServedModel:
        if name not in self.store.models:
            raise ServeError(404, f"no model {name!r}; serving: {', '.join(self.store.models)}")
        return self.store.models[name]

    def default_model(self) -> ServedModel:
        if self.store.default is None:
            raise ServeError(
                404,
                f"no default model (serving several: {', '.join(self.store.models)}); "
                "use /v1/models/{name}/predict or start with --default",
            )
        return self.store.models[self.store.default]

    async def predict(
        self, model: ServedModel, texts: list[str], top_k: int | None, explain: int | None
    ) -> list[dict]:
        """Per text, the label and probabilities (and explanation), within the time limit."""
        settings = self.settings
        texts = check_texts_for_service(texts, settings.max_texts, settings.max_chars)
        if explain:  # the whole classifier, on the explain thread (not batched)
            loop = asyncio.get_running_loop()
            deadline = time.monotonic() + settings.timeout_s  # stops the work, not only the wait
            job = loop.run_in_executor(
                self.explainer, model.predict_explained, texts, top_k, explain, deadline,
                self.executor,
            )  # fmt: skip
        else:
            job = self.batchers[model.name].predict(texts, top_k)
        try:
            predictions = await asyncio.wait_for(job, settings.timeout_s)
        except asyncio.TimeoutError:
            raise ServeError(504, f"prediction took longer than {settings.timeout_s:g} s") from None
        self.observer.predicted(model.name, predictions)
        return predictions


def check_texts_for_service(texts: list[str], max_texts: int, max_chars: int) -> list[str]:
    """This server's limits (the request model has refused an empty list); an empty text is
    refused by index, never given a label."""
    if len(texts) > max_texts:
        raise ServeError(422, f"{len(texts)} texts in one request; the limit is {max_texts}")
    for i, text in enumerate(texts):
        if len(text) > max_chars:
            raise ServeError(
                422, f"texts[{i}] has {len(text):,} characters; the limit is {max_chars:,}"
            )
    empty = empty_rows(texts)
    if empty:
        shown = ", ".join(f"texts[{i}]" for i in empty[:5])
        raise ServeError(
            422, f"{shown} {'is' if len(empty) == 1 else 'are'} empty: nothing to classify"
        )
    return texts
