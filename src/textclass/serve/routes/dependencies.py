"""What a route asks FastAPI for: the app's service, the API-key rule, the model it names.

Every dependency is ``async``: a plain ``def`` would cost each request a hop to a
thread pool. The Host and the API key are checked before any of this, as the request
arrives (:mod:`textclass.serve.access`: 400, 401); FastAPI then reads the JSON body
(400), runs the dependencies (the model: 404) and only then validates the body (422).
"""

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPBearer

from textclass.serve.models import ServedModel
from textclass.serve.service import Service


async def get_service(request: Request) -> Service:
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(get_service)]


class APIKey(HTTPBearer):
    """``Authorization: Bearer <key>`` on a server started with a key (/docs: Authorize).

    The key itself is checked before the body is read (:mod:`textclass.serve.access`);
    this dependency declares the rule in the OpenAPI document."""

    async def __call__(self, request: Request) -> None:
        return None


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
