"""What a route asks FastAPI for: the app's service, the API-key rule, the model it names.

Every dependency is ``async``: a plain ``def`` would cost each request a hop to a
thread pool. FastAPI reads the JSON body first (400), runs the dependencies in order
(the router's API-key rule: 401, then the model: 404) and only then validates the
body against its model (422).
"""

import hmac
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPBearer

from textclass.serve.models import ServedModel
from textclass.serve.service import ServeError, Service


async def get_service(request: Request) -> Service:
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(get_service)]


class APIKey(HTTPBearer):
    """``Authorization: Bearer <key>`` on a server started with a key (/docs: Authorize)."""

    async def __call__(self, request: Request) -> None:
        key = (await get_service(request)).settings.api_key
        if key is None:
            return
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), key.encode()):
            raise ServeError(
                401,
                "missing or wrong API key: send 'Authorization: Bearer <key>'",
                {"WWW-Authenticate": "Bearer"},
            )


api_key = APIKey(description="Needed by /v1 only when the server was started with --api-key-env")


async def served_model(
    service: ServiceDep,
    name: Annotated[str, Path(description="A served model's name (GET /v1/models lists them)")],
) -> ServedModel:
    return service.model(name)


async def default_model(service: ServiceDep) -> ServedModel:
    return service.default_model()


NamedModel = Annotated[ServedModel, Depends(served_model)]
DefaultModel = Annotated[ServedModel, Depends(default_model)]
