"""The HTTP service: every endpoint, every bad request, the API-key rule, warm-up, the CLI."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from browser import CHROMIUM, FLAGS, SKIP_REASON

fastapi = pytest.importorskip("fastapi", reason="serving needs the serve extra")
from fastapi.testclient import TestClient  # noqa: E402

from textclass import TextClassifier  # noqa: E402
from textclass.serve import ServeSettings, create_app  # noqa: E402
from textclass.serve.models import ModelStore  # noqa: E402
from textclass.serve.routes import ROUTERS  # noqa: E402
from textclass.serve.schema import (  # noqa: E402
    ErrorResponse,
    ModelCard,
    ModelList,
    PredictResponse,
)

TEXTS = ["great food", "lovely staff", "great value", "good and great"] * 2 + [
    "awful food",
    "rude staff",
    "awful value",
    "bad and awful",
] * 2
LABELS = [1] * 8 + [0] * 8
TOPICS = ["goal match team", "vote party minister", "stock market profit"] * 4
TOPIC_LABELS = ["sport", "politics", "business"] * 4


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    TextClassifier(model="logreg", random_state=0).fit(TEXTS, LABELS).save(
        root / "reviews", metrics={"accuracy": 1.0, "n": 16}
    )
    TextClassifier(model="embedding", epochs=2, batch_size=4, maxlen=6, random_state=0).set_params(
        model__embedding_dim=4
    ).fit(TOPICS, TOPIC_LABELS).save(root / "topics")
    return root


@pytest.fixture(scope="module")
def client(runs):
    app = create_app([runs / "reviews", runs / "topics"], default="reviews")
    with TestClient(app) as client:
        wait_ready(client)
        yield client


def wait_ready(client, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.05)
    raise AssertionError("server never became ready")


def test_probes_and_model_cards(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready", "models": ["reviews", "topics"]}
    listing = client.get("/v1/models").json()
    assert listing["default"] == "reviews"
    cards = {card["name"]: card for card in listing["models"]}
    assert cards["reviews"]["family"] == "logreg" and cards["reviews"]["labels"] == [0, 1]
    assert cards["reviews"]["metrics"] == {"n": 16, "accuracy": 1.0}
    assert cards["topics"]["labels"] == ["business", "politics", "sport"]
    card = client.get("/v1/models/topics").json()
    assert card["family"] == "embedding" and card["hyperparameters"]["embedding_dim"] == 4
    assert "keras" in card["versions"]


def test_predictions_in_the_users_label_type(client, runs):
    body = client.post("/v1/models/reviews/predict", json={"texts": ["great food", "awful"]})
    assert body.status_code == 200
    predictions = body.json()["predictions"]
    expected = TextClassifier.load(runs / "reviews").predict_proba(["great food", "awful"])
    assert [p["label"] for p in predictions] == [1, 0]  # ints, as trained
    for p, row in zip(predictions, expected):
        probabilities = {x["label"]: x["probability"] for x in p["probabilities"]}
        assert probabilities == {0: round(row[0], 6), 1: round(row[1], 6)}
    top = client.post("/v1/models/topics/predict", json={"texts": ["team goal"], "top_k": 1})
    best = TextClassifier.load(runs / "topics").predict(["team goal"])[0]
    assert [x["label"] for x in top.json()["predictions"][0]["probabilities"]] == [best]
    default = client.post("/v1/predict", json={"texts": ["great food"]}).json()
    assert default["model"] == "reviews" and default["predictions"][0]["label"] == 1


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/v1/models/nope/predict", {"texts": ["a"]}, 404, "no model 'nope'; serving: reviews"),
        ("/v1/predict", {"texts": []}, 422, "texts is empty"),
        ("/v1/predict", {"texts": ["fine", 3]}, 422, "texts.1: Input should be a valid string"),
        ("/v1/predict", {"texts": "one text"}, 422, "texts: Input should be a valid list"),
        ("/v1/predict", {}, 422, "texts: Field required"),
        ("/v1/predict", {"texts": ["a"], "extra": 1}, 422, "extra: Extra inputs"),
        ("/v1/predict", {"texts": ["ok", "  "]}, 422, "texts[1] is empty"),
        ("/v1/predict", {"texts": ["a"] * 257}, 422, "257 texts in one request; the limit is 256"),
        ("/v1/predict", {"texts": ["a" * 100_001]}, 422, "texts[0] has 100,001 characters"),
        ("/v1/predict", {"texts": ["a"], "top_k": 0}, 422, "top_k must be at least 1"),
    ],
)
def test_bad_requests_get_a_message_and_no_traceback(client, path, body, status, message):
    response = client.post(path, json=body)
    assert response.status_code == status, response.text
    assert message in response.json()["error"]
    assert "Traceback" not in response.text


def test_malformed_json_and_oversized_bodies(client):
    response = client.post(
        "/v1/predict", content=b'{"texts": [', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400 and "not valid JSON" in response.json()["error"]
    big = json.dumps({"texts": ["x" * 1000] * 1100})  # over 1 MiB
    response = client.post("/v1/predict", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "over the limit" in response.json()["error"]


def test_time_limit_gives_504(runs):
    store = ModelStore.load([runs / "reviews"])
    slow = store.models["reviews"]
    original = slow.predict
    answered = threading.Event()  # the prediction ends only once the client has its answer
    slow.predict = lambda texts, top_k=None: (answered.wait(30), original(texts, top_k))[1]
    app = create_app(store=store, settings=ServeSettings(timeout_s=0.1))
    with TestClient(app) as client:
        wait_ready(client)
        try:
            response = client.post("/v1/predict", json={"texts": ["great"]})
        finally:
            answered.set()
    assert response.status_code == 504 and "longer than 0.1 s" in response.json()["error"]


def test_api_key_is_required_when_set(runs):
    app = create_app([runs / "reviews"], settings=ServeSettings(api_key="s3cret"))
    with TestClient(app) as client:
        wait_ready(client)
        assert client.get("/healthz").status_code == 200  # probes stay open
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
            response = client.post("/v1/predict", json={"texts": ["great"]}, headers=headers)
            assert response.status_code == 401 and "API key" in response.json()["error"]
        ok = client.post(
            "/v1/predict", json={"texts": ["great"]}, headers={"Authorization": "Bearer s3cret"}
        )
        assert ok.status_code == 200
        assert 'id="key"' in client.get("/").text  # the page asks for the key


def test_not_ready_until_warmed_up(runs):
    store = ModelStore.load([runs / "topics"])
    release = threading.Event()
    original = store.warm_up

    order = []

    def slow_warm_up():
        release.wait(10)
        order.append("warmed up")
        original()

    store.warm_up = slow_warm_up
    app = create_app(store=store)
    batcher = app.state.service.batchers["topics"]
    arrived = threading.Event()
    queue = batcher.predict

    async def noting_arrival(texts, top_k):
        arrived.set()
        return await queue(texts, top_k)

    batcher.predict = noting_arrival
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 503
        # a request before ready waits for the warm-up (same thread), never runs beside it
        early = threading.Thread(
            target=lambda: order.append(
                client.post("/v1/predict", json={"texts": ["goal"]}).status_code
            )
        )
        early.start()
        assert arrived.wait(30), "the early request never reached the model"
        assert client.get("/readyz").status_code == 503  # still warming up, request queued
        release.set()
        early.join(30)
        wait_ready(client)
    assert store.ready.is_set() and order == ["warmed up", 200]


def test_page_and_openapi_schema(client):
    page = client.get("/")
    assert (
        page.status_code == 200
        and "<textarea" in page.text
        and "http" not in page.text.split("<body>")[1].replace("http.", "")
    )  # no external resources


def test_docs_pages_use_local_files_only(client):
    """/docs and /redoc load their scripts and styles from this server (they work offline)."""
    for path in ("/docs", "/redoc"):
        html = client.get(path).text
        assert "https://" not in html and "fonts.googleapis" not in html, path
        assets = re.findall(r'(?:src|href)="(/static-offline-docs/[^"]+\.js)"', html)
        assert assets, html
        for asset in assets:
            got = client.get(asset)
            assert got.status_code == 200 and len(got.content) > 1000, asset


def test_openapi_documents_every_route_and_answer(client):
    """/docs is complete: every route with its request body, its answer and its errors."""
    schema = client.get("/openapi.json").json()
    routes = {
        (route.path, method.lower())
        for router in ROUTERS
        for route in router.routes
        if route.include_in_schema
        for method in route.methods
    }
    assert routes == {(path, method) for path, ops in schema["paths"].items() for method in ops}
    assert {"/healthz", "/readyz", "/v1/models", "/v1/models/{name}/predict"} <= set(
        schema["paths"]
    )
    components = schema["components"]["schemas"]

    def named(response: dict) -> str:
        ref = response["content"]["application/json"]["schema"]["$ref"]
        assert ref.split("/")[-1] in components
        return ref.split("/")[-1]

    for path, method in routes:
        answers = schema["paths"][path][method]["responses"]
        assert named(answers["200"]) != "ErrorResponse", path
        errors = {status: named(answer) for status, answer in answers.items() if status != "200"}
        assert errors and set(errors.values()) == {"ErrorResponse"}, path
    assert "HTTPValidationError" not in components  # FastAPI's 422 body is not ours
    predict = schema["paths"]["/v1/models/{name}/predict"]["post"]
    assert predict["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PredictRequest"
    )
    assert named(predict["responses"]["200"]) == "PredictResponse"
    assert {"400", "401", "404", "413", "422", "504"} <= set(predict["responses"])
    assert named(schema["paths"]["/v1/models/{name}"]["get"]["responses"]["200"]) == "ModelCard"
    fields = components["PredictRequest"]["properties"]
    assert fields["texts"]["minItems"] == 1 and fields["top_k"]["anyOf"][0]["minimum"] == 1
    assert fields["explain"]["anyOf"][0] == {"type": "integer", "minimum": 1, "maximum": 50}
    assert schema["components"]["securitySchemes"]["APIKey"]["scheme"] == "bearer"


def test_answers_are_the_documented_bodies(client):
    listing = client.get("/v1/models").json()
    assert ModelList.model_validate(listing).model_dump(mode="json") == listing
    for card in listing["models"]:  # every key of the card is documented, as it is
        assert ModelCard.model_validate(card).model_dump(mode="json") == card
    for body in ({"texts": ["great food"]}, {"texts": ["great"], "top_k": 1, "explain": 2}):
        PredictResponse.model_validate(client.post("/v1/predict", json=body).json())
    for body in ({}, {"texts": []}):
        ErrorResponse.model_validate(client.post("/v1/predict", json=body).json())


def test_cors_is_off_unless_asked(runs):
    with TestClient(create_app([runs / "reviews"], warm_up=False)) as client:
        response = client.get("/healthz", headers={"Origin": "http://elsewhere.example"})
        assert "access-control-allow-origin" not in response.headers
    app = create_app(
        [runs / "reviews"],
        warm_up=False,
        settings=ServeSettings(cors_origins=("http://elsewhere.example",)),
    )
    with TestClient(app) as client:
        response = client.get("/healthz", headers={"Origin": "http://elsewhere.example"})
        assert response.headers["access-control-allow-origin"] == "http://elsewhere.example"


def test_cli_refuses_public_address_without_a_key(runs, capsys):
    from textclass.cli import ExitCode, main

    assert main(["serve", str(runs / "reviews"), "--host", "0.0.0.0"]) == ExitCode.USAGE
    assert "--api-key-env" in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_real_server_process_starts_answers_and_stops(runs, tmp_path):
    import httpx

    port = free_port()
    script = Path(sys.executable).parent / "textclass"
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [str(script), "serve", str(runs / "reviews"), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ.copy(),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "no answer from the server"
            time.sleep(0.1)
        answer = httpx.post(f"http://127.0.0.1:{port}/v1/predict", json={"texts": ["great food"]})
        assert answer.json()["predictions"][0]["label"] == 1
    finally:
        proc.terminate()
        code = proc.wait(timeout=20)
        log.close()
    shown = (tmp_path / "serve.log").read_text()
    # uvicorn shuts down on SIGTERM, then re-raises it: the process ends by our signal,
    # not by an error of its own on the way out
    assert code == -signal.SIGTERM and "Traceback" not in shown, shown
    assert f"on http://127.0.0.1:{port}" in shown
    with pytest.raises(OSError):  # and the port is free again
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_page_in_a_real_browser(runs, tmp_path):
    """Load the page in headless Chromium, type a text, press Predict, read the result."""
    if CHROMIUM is None:
        pytest.skip(SKIP_REASON)
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    import uvicorn

    app = create_app([runs / "reviews", runs / "topics"], default="reviews")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            answer = page.goto(f"http://127.0.0.1:{port}/")
            # the page works under its own Content-Security-Policy (no eval, no framing)
            assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
            page.wait_for_selector("#card table")
            assert "logreg" in page.inner_text("#card")
            page.fill("#text", "great food")
            page.click("#predict")
            page.wait_for_selector("#label")
            assert page.inner_text("#label") == "1"
            assert page.locator(".bar").count() == 2
            # keyboard only: choose the other model, type, Ctrl+Enter
            page.select_option("#model", "topics")
            page.focus("#text")
            page.fill("#text", "vote party")
            page.keyboard.press("Control+Enter")
            page.locator(".bar").nth(2).wait_for()  # a locator: the CSP allows no eval
            page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
            # /docs renders Swagger UI from the package's own files: nothing asked elsewhere
            docs = browser.new_page()
            asked = []
            docs.on("request", lambda request: asked.append(request.url))
            docs.goto(f"http://127.0.0.1:{port}/docs")
            docs.wait_for_selector(".opblock-summary-path")  # an operation, from openapi.json
            assert "/v1/models/{name}/predict" in docs.inner_text("#swagger-ui")
            assert asked and all(u.startswith(f"http://127.0.0.1:{port}/") for u in asked), asked
            browser.close()
        assert (tmp_path / "page.png").stat().st_size > 1000
    finally:
        server.should_exit = True


def test_served_labels_follow_the_runs_decision(tmp_path):
    """A multi-label run answers label sets; a binary run with a threshold uses it."""
    tags = [["food"], ["staff"], ["food", "staff"], ["value"]] * 4
    texts = ["great food", "rude staff", "food and staff", "good value"] * 4
    TextClassifier(model="logreg", random_state=0).fit(texts, tags).save(tmp_path / "tags")
    TextClassifier(model="logreg", threshold=0.99, random_state=0).fit(TEXTS, LABELS).save(
        tmp_path / "strict"
    )
    app = create_app([tmp_path / "tags", tmp_path / "strict"], default="tags")
    with TestClient(app) as client:
        wait_ready(client)
        got = client.post("/v1/predict", json={"texts": ["food and staff", "good value"]})
        assert got.status_code == 200, got.text
        PredictResponse.model_validate(got.json())  # labels: a MultilabelPrediction
        first, second = got.json()["predictions"]
        assert first["labels"] == ["food", "staff"] and second["labels"] == ["value"]
        assert len(first["probabilities"]) == 3
        card = client.get("/v1/models/tags").json()
        assert card["decision"] == {"multilabel": True, "thresholds": [0.5, 0.5, 0.5]}
        strict = client.post("/v1/models/strict/predict", json={"texts": ["great food"]}).json()
        p = {x["label"]: x["probability"] for x in strict["predictions"][0]["probabilities"]}
        assert 0.5 < p[1] < 0.99 and strict["predictions"][0]["label"] == 0


def test_predictions_can_come_with_explanations(client):
    got = client.post("/v1/predict", json={"texts": ["great food", "awful staff"], "explain": 2})
    assert got.status_code == 200, got.text
    for item in got.json()["predictions"]:
        reason = item["explanation"]
        assert reason["method"] == "coefficient x value" and reason["label"] == item["label"]
        assert 1 <= len(reason["features"]) <= 2 and all(len(f) == 2 for f in reason["features"])
    assert got.json()["predictions"][0]["explanation"]["features"][0][0] in ("great", "food")
    for bad in (0, 51):
        response = client.post("/v1/predict", json={"texts": ["great"], "explain": bad})
        assert response.status_code == 422 and "explain must be" in response.json()["error"]


def test_a_network_explains_long_and_odd_texts_within_its_answer(client, runs):
    """An explanation's work is bounded (what the model reads: maxlen 6 here), says which
    words it occluded, carries a lone surrogate as U+FFFD, and stops at its deadline."""

    def post(texts):  # a JSON "\\ud800" escape, as a client would send it
        body = json.dumps({"texts": texts, "explain": 3})
        headers = {"content-type": "application/json"}
        return client.post("/v1/models/topics/predict", content=body, headers=headers)

    got = post([" ".join(["goal match team vote party"] * 2000) + " \ud800"])
    assert got.status_code == 200, got.text
    reason = got.json()["predictions"][0]["explanation"]
    assert reason["note"].startswith("words 1-") and "of 10001 occluded" in reason["note"]
    odd = post(["goal \ud800"])
    assert odd.status_code == 200, odd.text
    assert "\ufffd" in [name for name, _ in odd.json()["predictions"][0]["explanation"]["features"]]
    from textclass.errors import TimeLimitError

    served = ModelStore.load([runs / "topics"]).models["topics"]
    with pytest.raises(TimeLimitError):
        served.predict_explained(["goal match team"], None, 2, deadline=time.monotonic() - 1)


def test_access_rules_apply_before_the_body_is_read(runs):
    """A key with non-ASCII characters works; a client without the key gets 401 even for
    bad JSON; the key never shows in a repr; a Host outside the allowed ones gets 400."""
    key = "s3crét-ключ"
    settings = ServeSettings(api_key=key, allowed_hosts=("127.0.0.1", "localhost"))
    assert key not in repr(settings)
    app = create_app([runs / "reviews"], settings=settings)
    good = {"Authorization": b"Bearer " + key.encode("utf-8"), "Host": "localhost:8000"}
    with TestClient(app, base_url="http://localhost:8000") as client:
        wait_ready(client)
        ok = client.post("/v1/predict", json={"texts": ["great"]}, headers=good)
        assert ok.status_code == 200, ok.text
        bad_json = {"content-type": "application/json"}
        refused = client.post("/v1/predict", content=b"{not json", headers=bad_json)
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        assert (
            client.post("/v1/predict", content=b"{not json", headers=good | bad_json).status_code
            == 400
        )
        rebound = client.get("/healthz", headers={"Host": "attacker.example:8000"})
        assert rebound.status_code == 400 and "attacker.example" in rebound.json()["error"]
        assert client.get("/healthz", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_wrong_keys_from_one_address_are_limited(runs):
    """Past max_key_failures wrong keys, that address gets 429 (even with the right key)
    until the minute is over; another address is not affected."""
    settings = ServeSettings(api_key="right", max_key_failures=3)
    app = create_app([runs / "reviews"], settings=settings, warm_up=False)
    wrong, right = {"Authorization": "Bearer wrong"}, {"Authorization": "Bearer right"}
    with TestClient(app, client=("10.0.0.1", 5000)) as guesser:
        assert [guesser.get("/v1/models", headers=wrong).status_code for _ in range(3)] == [401] * 3
        limited = guesser.get("/v1/models", headers=right)
        assert limited.status_code == 429 and 0 < int(limited.headers["retry-after"]) <= 60
        assert "10.0.0.1" in limited.json()["error"]
        assert guesser.get("/healthz").status_code == 200  # the probes need no key
    with TestClient(app, client=("10.0.0.2", 5000)) as other:
        assert other.get("/v1/models", headers=right).status_code == 200


def test_failed_keys_window_and_memory_bound():
    from textclass.serve.access import FailedKeys

    now = [0.0]
    failures = FailedKeys(2, window_s=60, clients=3, clock=lambda: now[0])
    failures.failed("a")
    assert failures.retry_after("a") is None  # one failure: may try again
    failures.failed("a")
    assert failures.retry_after("a") == 60
    now[0] = 59.5
    assert failures.retry_after("a") == 0.5
    now[0] = 60.0
    assert failures.retry_after("a") is None  # a new window
    failures.failed("a")
    assert failures.retry_after("a") is None
    for client in "bcde":  # a flood of addresses forgets the oldest, never grows past 3
        failures.failed(client)
    assert len(failures._windows) == 3 and "a" not in failures._windows


def test_probes_answer_head_405_says_allow_and_the_page_sets_its_policy(client):
    assert client.head("/healthz").status_code == 200
    assert client.head("/readyz").status_code == 200
    wrong = client.delete("/healthz")
    assert wrong.status_code == 405 and "GET" in wrong.headers["allow"]
    page = client.get("/")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_model_cards_name_files_not_folders(tmp_path):
    data = tmp_path / "private" / "customer_reviews.csv"
    data.parent.mkdir()
    data.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in zip(TEXTS, LABELS)))
    from textclass.jobs import ClassifierSettings, TrainRequest
    from textclass.jobs.train import train

    request = TrainRequest(
        str(data), classifier=ClassifierSettings(model="logreg"), out=tmp_path / "run"
    )
    train(request)
    with TestClient(create_app([tmp_path / "run"])) as client:
        wait_ready(client)
        card = client.get("/v1/models/run").json()
    shown = json.dumps(card["training_data"])
    assert "customer_reviews.csv" in shown and str(tmp_path) not in shown


def _serving(app, **config):
    """A real uvicorn server in a thread: ``(server, port)``, started."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", **config)
    )
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return server, port


def _read_all(conn) -> bytes:
    answer = b""
    while part := conn.recv(65536):
        answer += part
    return answer


def test_stalled_requests_are_answered_and_closed(runs):
    """Half a request line or half a body is not held open: 408 and closed, or closed,
    once the read timeout passes (0.5 s here), while a whole request still gets 200."""
    from textclass.serve.transport import guarded_protocol

    app = create_app([runs / "reviews"])
    server, port = _serving(app, http=guarded_protocol(0.5))
    try:
        half_headers = b"POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"
        half_body = (
            b"POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1048576\r\n\r\n0123456789"
        )
        for sent, expected in ((b"", b"408"), (half_headers, b"408"), (half_body, b"")):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                started = time.monotonic()
                conn.sendall(sent)
                answer = _read_all(conn)  # returns once the server closes the connection
                assert time.monotonic() - started < 5, sent
            assert answer.split(b" ")[1:2] == ([expected] if expected else []), answer[:200]
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            body = b'{"texts": ["great"]}'
            conn.sendall(
                b"POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                b"Content-Type: application/json\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
            assert _read_all(conn).startswith(b"HTTP/1.1 200")
    finally:
        server.should_exit = True


def test_a_chunked_body_over_the_limit_gets_413_from_a_real_server(runs):
    """Without Content-Length the body is counted as it streams: the client reads a 413
    (not FastAPI's 400 'error parsing the body') and the connection closes."""
    app = create_app([runs / "reviews"], settings=ServeSettings(max_body_bytes=10_000))
    server, port = _serving(app)
    try:
        chunk = b'{"texts": ["' + b"x" * 4000
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(
                b"POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            for _ in range(4):  # 16,000 bytes, over the 10,000 allowed
                conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            answer = b""
            while b"\r\n\r\n" not in answer or b"}" not in answer:
                part = conn.recv(65536)
                if not part:
                    break
                answer += part
        status, _, rest = answer.partition(b"\r\n")
        assert status.startswith(b"HTTP/1.1 413"), answer[:300]
        assert b"over the limit of 10,000 bytes" in rest
    finally:
        server.should_exit = True


def test_metrics_request_ids_and_the_access_log(runs, capsys):
    from prometheus_client.parser import text_string_to_metric_families

    settings = ServeSettings(access_log=True)
    with TestClient(create_app([runs / "reviews"], settings=settings)) as client:
        wait_ready(client)
        mine = client.post(
            "/v1/predict", json={"texts": ["great", "awful"]}, headers={"X-Request-ID": "abc-1"}
        )
        assert mine.status_code == 200 and mine.headers["x-request-id"] == "abc-1"
        refused = client.post("/v1/models/nope/predict", json={"texts": ["x"]})
        generated = refused.headers["x-request-id"]
        assert refused.status_code == 404 and len(generated) == 32  # made up: a uuid4
        scraped = client.get("/metrics")
    assert scraped.headers["content-type"].startswith("text/plain")
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(scraped.text)
        for s in family.samples
    }
    ok = ("model", "-"), ("route", "/v1/predict"), ("status", "200")
    assert samples[("textclass_requests_total", ok)] == 1
    missing = ("model", "nope"), ("route", "/v1/models/{name}/predict"), ("status", "404")
    assert samples[("textclass_requests_total", missing)] == 1
    predicted = sum(v for (n, labels), v in samples.items() if n == "textclass_predictions_total")
    assert predicted == 2
    assert samples[("textclass_batch_texts_count", (("model", "reviews"),))] >= 1
    for stage in ("load", "warm_up"):
        key = ("textclass_model_seconds", (("model", "reviews"), ("stage", stage)))
        assert samples[key] > 0
    lines = [
        json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")
    ]
    logged = {line["request_id"]: line for line in lines}
    assert logged["abc-1"]["status"] == 200 and logged["abc-1"]["path"] == "/v1/predict"
    assert logged[generated]["status"] == 404 and logged[generated]["model"] == "nope"


def test_a_client_that_sends_its_whole_body_first_reads_the_413(runs):
    """urllib writes the whole body before reading: over the limit (here 4 MiB at 1 MiB),
    the server reads and drops it, so the client gets the 413, not a reset connection."""
    import urllib.error
    import urllib.request

    server, port = _serving(create_app([runs / "reviews"]))
    try:
        body = json.dumps({"texts": ["x" * 1000] * 4200}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/predict",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        for _ in range(5):
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(request, timeout=30)
            assert caught.value.code == 413
            assert "over the limit" in json.loads(caught.value.read())["error"]
    finally:
        server.should_exit = True


def _serve_cli(monkeypatch, argv):
    """``textclass serve ARGV`` up to uvicorn.run: ``(exit status, the app, run's options)``."""
    import uvicorn

    from textclass.cli import main

    captured = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: captured.update(app=app, options=kw))
    monkeypatch.setattr(sys, "setswitchinterval", lambda interval: None)  # the CLI's, not ours
    return main(["serve", *map(str, argv)]), captured.get("app"), captured.get("options")


def test_serve_options_reach_the_server(runs, monkeypatch):
    monkeypatch.setenv("TEXTCLASS_TEST_KEY", "k3y")
    code, app, options = _serve_cli(
        monkeypatch,
        [
            runs / "reviews", runs / "topics", "--name", "rev", "--name", "top",
            "--default", "top", "--api-key-env", "TEXTCLASS_TEST_KEY",
            "--cors-origin", "http://elsewhere.example", "--max-texts", "2",
            "--max-chars", "30", "--max-body-bytes", "2000", "--timeout", "0.5",
            "--port", "8123", "--max-connections", "7",
        ],
    )  # fmt: skip
    assert code == 0 and options["port"] == 8123 and options["limit_concurrency"] == 7
    key = {"Authorization": "Bearer k3y"}
    with TestClient(app, base_url="http://127.0.0.1") as client:  # a loopback Host
        wait_ready(client)
        listing = client.get("/v1/models", headers=key).json()
        assert [m["name"] for m in listing["models"]] == ["rev", "top"]
        assert listing["default"] == "top"
        assert client.post("/v1/predict", json={"texts": ["goal"]}).status_code == 401
        answer = client.post("/v1/predict", json={"texts": ["goal"]}, headers=key)
        assert answer.status_code == 200 and answer.json()["model"] == "top"
        too_many = client.post("/v1/predict", json={"texts": ["a", "b", "c"]}, headers=key)
        assert too_many.status_code == 422 and "the limit is 2" in too_many.json()["error"]
        too_long = client.post("/v1/predict", json={"texts": ["a" * 31]}, headers=key)
        assert too_long.status_code == 422 and "the limit is 30" in too_long.json()["error"]
        big = client.post("/v1/predict", content=b"x" * 2001, headers=key)
        assert big.status_code == 413 and "2,000 bytes" in big.json()["error"]
        origin = {"Origin": "http://elsewhere.example"}
        allowed = client.get("/healthz", headers=origin).headers
        assert allowed["access-control-allow-origin"] == "http://elsewhere.example"
        # --timeout: a prediction that ends only after its answer is sent gets a 504
        served = app.state.store.models["rev"]
        answered = threading.Event()
        original = served.predict
        served.predict = lambda texts, top_k=None: (answered.wait(30), original(texts, top_k))[1]
        try:
            slow = client.post("/v1/models/rev/predict", json={"texts": ["x"]}, headers=key)
        finally:
            answered.set()
        assert slow.status_code == 504 and "longer than 0.5 s" in slow.json()["error"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--name", "only-one"], "1 --name for 2 run directories"),
        (["--name", "same", "--name", "same"], "two served models share a name"),
        (["--default", "nope"], "--default 'nope' is not a served model; serving: reviews, topics"),
        (["--api-key-env", "TEXTCLASS_UNSET_VAR"], "TEXTCLASS_UNSET_VAR: that variable is not set"),
    ],
)
def test_serve_option_errors_are_usage_errors(runs, monkeypatch, capsys, extra, message):
    from textclass.cli import ExitCode

    monkeypatch.delenv("TEXTCLASS_UNSET_VAR", raising=False)
    code, app, _ = _serve_cli(monkeypatch, [runs / "reviews", runs / "topics", *extra])
    assert code == ExitCode.USAGE and app is None
    assert message in capsys.readouterr().err


def test_model_store_errors(runs, tmp_path):
    from textclass import ConfigError

    shutil.copytree(runs / "reviews", tmp_path / "elsewhere" / "reviews")
    with pytest.raises(ConfigError, match=r"share a name: reviews, reviews \(use --name\)"):
        ModelStore.load([runs / "reviews", tmp_path / "elsewhere" / "reviews"])
    with pytest.raises(ConfigError, match="--default 'nope' is not a served model"):
        ModelStore.load([runs / "reviews"], default="nope")
    with pytest.raises(ConfigError, match="at least one run directory"):
        ModelStore.load([])
    two = ModelStore.load([runs / "reviews", runs / "topics"])
    assert two.default is None  # several models and no --default: none
    with TestClient(create_app(store=two)) as client:
        wait_ready(client)
        response = client.post("/v1/predict", json={"texts": ["a"]})
    assert response.status_code == 404 and "no default model" in response.json()["error"]


def test_a_failed_warm_up_never_reports_ready(runs):
    store = ModelStore.load([runs / "reviews"])
    served = store.models["reviews"]

    def broken():
        raise RuntimeError("cannot compile")

    served.warm_up = broken
    store.warm_up()  # as the server's start-up runs it
    assert not store.ready.is_set() and store.warm_error == "RuntimeError: cannot compile"
    with TestClient(create_app(store=store, warm_up=False)) as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["error"] == "warm-up failed: RuntimeError: cannot compile"
