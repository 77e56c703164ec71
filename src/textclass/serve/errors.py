"""Every error as JSON ``{"error": "..."}`` with a 4xx/5xx status, never a stack trace.

The handlers turn the routes' :class:`~textclass.serve.service.ServeError`, pydantic's
validation problems and Starlette's own errors into that body; :class:`BodyLimit`
answers 413 before an oversized body is read.
"""

import json

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from textclass.serve.schema import describe
from textclass.serve.service import ServeError


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServeError, _serve_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


def error_response(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def _serve_error(request: Request, exc: ServeError) -> JSONResponse:
    return error_response(exc.status, exc.message, exc.headers)


async def _invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = exc.errors()
    if any(p.get("type") == "json_invalid" for p in problems):
        return error_response(400, "the request body is not valid JSON")
    return error_response(422, "; ".join(describe(p) for p in problems[:5]))


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return error_response(exc.status_code, str(exc.detail), exc.headers)  # 405: Allow


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    return error_response(500, f"internal error ({type(exc).__name__})")


# a body declared over the limit is read and thrown away up to this many bytes before the
# 413, so a client that sends its whole body before reading (urllib, most scripts) reads the
# answer instead of a reset connection (nginx's "lingering close"); past it, closed anyway
DISCARD_BYTES = 16 << 20


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
            if int(declared) <= DISCARD_BYTES:
                await _discard(receive)
            return await self._too_large(send)
        seen, answered = 0, False

        async def counting_receive():
            # a body streamed without Content-Length (chunked) is counted as it comes; over
            # the limit the client gets the 413 at once and the app a disconnect, whose own
            # answer (FastAPI's 400 "error parsing the body") is dropped
            nonlocal seen, answered
            if answered:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    answered = True
                    await self._too_large(send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if not answered:
                await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not answered:
                raise

    async def _too_large(self, send) -> None:
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


async def _discard(receive) -> None:
    """Read the request body to its end (or the client's disconnect), keeping none of it."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return
