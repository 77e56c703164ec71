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


class RecordingExecutor(ThreadPoolExecutor):
    """One worker thread that notes each job handed to it."""

    def __init__(self):
        super().__init__(max_workers=1)
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


def test_a_lone_request_does_not_wait():
    """A request that finds the model idle goes to the model at once: within the event
    loop's next turns, before any timer could fire (no wall clock involved)."""
    with RecordingExecutor() as pool:
        batcher = Batcher(Upper(), pool)

        async def main():
            request = asyncio.ensure_future(batcher.predict(["a"], None))
            turns = 0
            while not pool.submitted and turns < 5:
                await asyncio.sleep(0)  # one turn of the loop; never lets time pass
                turns += 1
            assert pool.submitted == 1, "the lone request waited instead of going out"
            return await request

        assert asyncio.run(main()) == ["A"] and batcher.calls == 1


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


def test_concurrent_http_requests_run_the_real_served_model_in_one_batch(tmp_path):
    """The service, not a stand-in: 12 requests arrive while the prediction thread is
    busy, go to ServedModel.predict_batch in one call, and each gets its own answer."""
    pytest.importorskip("fastapi", reason="serving needs the serve extra")
    import threading

    import httpx

    from textclass import TextClassifier
    from textclass.serve import create_app

    texts = ["great food", "lovely staff", "awful food", "rude staff", "good", "bad"] * 3
    labels = ["pos", "pos", "neg", "neg", "pos", "neg"] * 3
    TextClassifier(model="logreg", random_state=0).fit(texts, labels).save(tmp_path / "m")
    app = create_app([tmp_path / "m"], warm_up=False)
    service = app.state.service
    batcher, served = service.batchers["m"], service.store.models["m"]
    batched = []
    real_batch = served.predict_batch

    def spying_batch(requests):
        batched.append(len(requests))
        return real_batch(requests)

    served.predict_batch = spying_batch
    arrived = []
    real_predict = batcher.predict

    async def counting_predict(texts, top_k):
        arrived.append(texts)
        return await real_predict(texts, top_k)

    batcher.predict = counting_predict
    queries = [
        ([f"{w} {i}", "awful rude"][: 1 + i % 2], 1 + i % 2)
        for i, w in enumerate(["great", "awful", "lovely", "rude", "good", "bad"] * 2)
    ]
    alone = [served.predict(q, k) for q, k in queries]  # one request at a time
    gate = threading.Event()

    async def main():
        service.start(warm_up=False)
        busy = service.executor.submit(gate.wait, 30)  # the prediction thread is taken
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            sent = [
                asyncio.ensure_future(client.post("/v1/predict", json={"texts": q, "top_k": k}))
                for q, k in queries
            ]
            turns = 0  # wait (by loop turns, not seconds) until all have reached the batcher
            while len(arrived) < len(queries) and turns < 10_000:
                await asyncio.sleep(0)
                turns += 1
            assert len(arrived) == len(queries)
            gate.set()
            answers = await asyncio.gather(*sent)
        busy.result()
        service.stop()
        return answers

    answers = asyncio.run(main())
    assert [a.status_code for a in answers] == [200] * len(queries)
    assert [a.json()["predictions"] for a in answers] == alone
    # at most the first request alone (it may find the model idle), the rest in one call
    assert batcher.calls == len(batched) + (sum(batched) < len(queries)) <= 2
    assert sum(batched) >= len(queries) - 1
