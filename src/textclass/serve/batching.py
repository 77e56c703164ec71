"""Requests that arrive together are predicted together: one model call per batch.

A request that finds its model idle is dispatched at once, so a lone client
waits for nothing. Requests that arrive while a prediction is running queue up
and go, together, in the next model call (up to ``max_texts`` texts). Under
concurrency this turns 50 one-text calls into a few 50-text ones: a neural
family predicts 32 texts in about twice the time of one.

Predictions run on one worker thread (models are not shared between threads).
A batch that fails is re-run request by request, so one request's problem
never fails the others'.
"""

from __future__ import annotations

import asyncio
from collections import deque
from concurrent.futures import Executor


class Batcher:
    """Groups the concurrent requests of one served model into model calls."""

    def __init__(self, model, executor: Executor, *, max_texts: int = 256, on_call=None) -> None:
        self.model = model
        self.executor = executor
        self.max_texts = max_texts
        self.waiting: deque = deque()  # (texts, top_k, future)
        self.busy = False
        self.calls = 0  # model calls made (for tests and benchmarks)
        self.on_call = on_call  # on_call(texts in one model call), on the worker thread

    async def predict(self, texts: list[str], top_k: int | None) -> list[dict]:
        """This request's predictions, computed alone or with the requests queued with it."""
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((texts, top_k, future))
        if not self.busy:
            self.busy = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    def _next_batch(self) -> list[tuple]:
        batch, size = [], 0
        while self.waiting:
            texts, top_k, future = self.waiting[0]
            if batch and size + len(texts) > self.max_texts:
                break
            self.waiting.popleft()
            if future.done():  # its client gave up (time limit): do not predict it
                continue
            batch.append((texts, top_k, future))
            size += len(texts)
        return batch

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self.waiting:
                batch = self._next_batch()
                if not batch:
                    continue
                self.calls += 1
                try:
                    results = await loop.run_in_executor(self.executor, self._run, batch)
                except Exception as exc:  # _run isolates requests; this is a bug guard
                    results = [exc] * len(batch)
                for (_, _, future), result in zip(batch, results):
                    if future.done():
                        continue
                    if isinstance(result, Exception):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self.busy = False

    def _run(self, batch: list[tuple]) -> list:
        """Per request, its predictions or the exception it raised (on the worker thread)."""
        if self.on_call is not None:
            self.on_call(sum(len(texts) for texts, _, _ in batch))
        if len(batch) > 1:
            try:
                return self.model.predict_batch([(texts, top_k) for texts, top_k, _ in batch])
            except Exception:
                pass  # find out which request fails, one by one below
        results = []
        for texts, top_k, _ in batch:
            try:
                results.append(self.model.predict(texts, top_k))
            except Exception as exc:
                results.append(exc)
        return results
