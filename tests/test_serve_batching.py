"""The serve batcher: concurrent requests share model calls, and fail alone."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from textclass.serve.batching import Batcher


class Upper:
    """A stand-in model: 'predicts' each text upper-cased; slow, so requests queue."""

    def __init__(self):
        self.calls = []

    def predict(self, texts, top_k=None):
        return self.predict_batch([(texts, top_k)])[0]

    def predict_batch(self, requests):
        self.calls.append([t for texts, _ in requests for t in texts])
        time.sleep(0.02)
        if any("bad" in texts for texts, _ in requests):
            raise ValueError("cannot predict 'bad'")
        return [[t.upper()[: k or None] for t in texts] for texts, k in requests]


def run_concurrently(batcher, requests):
    async def main():
        return await asyncio.gather(
            *(batcher.predict(texts, top_k) for texts, top_k in requests), return_exceptions=True
        )

    return asyncio.run(main())


@pytest.fixture
def executor():
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


def test_concurrent_requests_share_model_calls(executor):
    model = Upper()
    batcher = Batcher(model, executor)
    requests = [([f"text {i}", "x"], 3 if i % 2 else None) for i in range(20)]
    results = run_concurrently(batcher, requests)
    assert results == [[t.upper()[: k or None] for t in texts] for texts, k in requests]
    # all 20 arrive before the model is free, so they go in one call
    assert batcher.calls == 1 and len(model.calls) == 1 and len(model.calls[0]) == 40


def test_a_lone_request_does_not_wait(executor):
    batcher = Batcher(Upper(), executor)
    started = time.perf_counter()
    assert run_concurrently(batcher, [(["a"], None)]) == [["A"]]
    assert time.perf_counter() - started < 0.5 and batcher.calls == 1


def test_batches_respect_the_text_limit(executor):
    batcher = Batcher(Upper(), executor, max_texts=5)
    results = run_concurrently(batcher, [(["a", "b"], None)] * 7)
    assert results == [["A", "B"]] * 7
    assert batcher.calls == 4  # 2 + 2 + 2 + 1 requests of 2 texts each


def test_a_failing_request_fails_alone(executor):
    model = Upper()
    batcher = Batcher(model, executor)
    results = run_concurrently(batcher, [(["first"], None), (["ok"], None), (["bad"], None)])
    assert results[0] == ["FIRST"] and results[1] == ["OK"]
    assert isinstance(results[2], ValueError) and "'bad'" in str(results[2])
