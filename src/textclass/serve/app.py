"""The FastAPI app: probes, model cards, predictions, limits and the API-key rule.

Every error is JSON ``{"error": "..."}`` with a 4xx/5xx status and never a stack
trace. Predictions run on one worker thread (models are not shared between
threads), concurrent requests grouped into one model call (:mod:`.batching`),
each under a per-request time limit.
"""

import asyncio
import hmac
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from textclass.serve.batching import Batcher
from textclass.serve.models import ModelStore


@dataclass(frozen=True)
class ServeSettings:
    """Limits and access rules of one server (defaults are the documented ones)."""

    max_body_bytes: int = 1 << 20  # 1 MiB -> 413
    max_texts: int = 256  # per request -> 422
    max_chars: int = 100_000  # per text -> 422
    timeout_s: float = 10.0  # per request -> 504
    api_key: "str | None" = None  # when set, /v1 needs "Authorization: Bearer <key>"
    cors_origins: tuple[str, ...] = field(default_factory=tuple)  # CORS off when empty


def create_app(
    run_dirs=(),
    *,
    names=None,
    default: str | None = None,
    settings: ServeSettings = ServeSettings(),
    store: ModelStore | None = None,
    warm_up: bool = True,
):
    """The ASGI app serving ``run_dirs`` (or a ready ``store``); models load here, once.

    Warm-up starts with the app on the prediction thread: ``/healthz`` answers at once,
    ``/readyz`` says 503 until every model is loaded and warmed up.
    """
    try:
        from fastapi import Depends, FastAPI, Request
        from fastapi.exceptions import RequestValidationError
        from fastapi.responses import HTMLResponse, JSONResponse
        from starlette.exceptions import HTTPException as StarletteHTTPException
    except ImportError:
        from textclass.errors import ConfigError

        raise ConfigError("serving needs FastAPI: pip install 'textclass[serve]'") from None
    from textclass.serve.page import page_html
    from textclass.serve.schema import (
        PredictRequest,
        ServeError,
        check_explain,
        check_texts_for_service,
    )

    store = store or ModelStore.load(run_dirs, names, default)
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="textclass-predict")
    batchers = {
        name: Batcher(model, executor, max_texts=settings.max_texts)
        for name, model in store.models.items()
    }

    @asynccontextmanager
    async def lifespan(app):
        if warm_up:
            # on the prediction thread: a request that comes before /readyz waits for the
            # warm-up instead of running the same model on a second thread beside it
            executor.submit(store.warm_up)
        else:
            store.ready.set()
        yield
        executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="textclass",
        summary="Text classification models trained with textclass",
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.batchers = batchers
    app.state.settings = settings
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )

    def error(status: int, message: str, headers=None):
        return JSONResponse({"error": message}, status_code=status, headers=headers)

    @app.exception_handler(ServeError)
    async def serve_error(request: Request, exc: ServeError):
        return error(exc.status, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        problems = exc.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            return error(400, "the request body is not valid JSON")
        return error(422, "; ".join(_describe(p) for p in problems[:5]))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):  # never a stack trace
        return error(500, f"internal error ({type(exc).__name__})")

    async def authorized(request: Request) -> None:  # async: no thread-pool hop
        if settings.api_key is None:
            return
        given = request.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.encode(), settings.api_key.encode()
        ):
            raise ServeError(
                401,
                "missing or wrong API key: send 'Authorization: Bearer <key>'",
                {"WWW-Authenticate": "Bearer"},
            )

    def model_named(name: str):
        if name not in store.models:
            raise ServeError(404, f"no model {name!r}; serving: {', '.join(store.models)}")
        return store.models[name]

    async def run_prediction(model, body: PredictRequest):
        texts = check_texts_for_service(body.texts, settings.max_texts, settings.max_chars)
        if body.top_k is not None and body.top_k < 1:
            raise ServeError(422, f"top_k must be at least 1, got {body.top_k}")
        check_explain(body.explain)
        if body.explain:  # needs the whole classifier; not batched with plain requests
            loop = asyncio.get_running_loop()
            job = loop.run_in_executor(
                executor, model.predict_explained, texts, body.top_k, body.explain
            )
        else:
            job = batchers[model.name].predict(texts, body.top_k)
        try:
            predictions = await asyncio.wait_for(job, settings.timeout_s)
        except asyncio.TimeoutError:
            raise ServeError(504, f"prediction took longer than {settings.timeout_s:g} s") from None
        # already plain JSON types: skip FastAPI's jsonable_encoder pass over them
        return JSONResponse({"model": model.name, "predictions": predictions})

    @app.get("/healthz", summary="The process is alive")
    async def healthz():
        return {"status": "ok"}

    @app.get("/readyz", summary="Every model is loaded and warmed up")
    async def readyz():
        if store.warm_error:
            return error(503, f"warm-up failed: {store.warm_error}")
        if not store.ready.is_set():
            return error(503, "warming up")
        return {"status": "ready", "models": list(store.models)}

    @app.get("/v1/models", summary="Every served model's card", dependencies=[Depends(authorized)])
    async def list_models():
        return {"default": store.default, "models": [m.card for m in store.models.values()]}

    @app.get("/v1/models/{name}", summary="One model's card", dependencies=[Depends(authorized)])
    async def get_model(name: str):
        return model_named(name).card

    @app.post(
        "/v1/models/{name}/predict",
        summary="Labels and probabilities for texts",
        dependencies=[Depends(authorized)],
    )
    async def predict(name: str, body: PredictRequest):
        return await run_prediction(model_named(name), body)

    @app.post(
        "/v1/predict", summary="Predict with the default model", dependencies=[Depends(authorized)]
    )
    async def predict_default(body: PredictRequest):
        if store.default is None:
            raise ServeError(
                404,
                f"no default model (serving several: {', '.join(store.models)}); "
                "use /v1/models/{name}/predict or start with --default",
            )
        return await run_prediction(store.models[store.default], body)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page():
        return HTMLResponse(page_html(api_key_required=settings.api_key is not None))

    return app


def _describe(problem: dict) -> str:
    where = ".".join(str(p) for p in problem.get("loc", ()) if p != "body") or "body"
    return f"{where}: {problem.get('msg', 'invalid')}"


class BodyLimit:
    """ASGI middleware: a request body over ``max_bytes`` gets 413 before it is parsed."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self._too_large(send)
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await self._too_large(send)

    async def _too_large(self, send) -> None:
        import json

        body = json.dumps(
            {"error": f"request body over the limit of {self.max_bytes:,} bytes"}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
