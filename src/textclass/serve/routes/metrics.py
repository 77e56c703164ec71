"""``GET /metrics``: the server's Prometheus metrics (:mod:`..observability`)."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)  # for scrapers, not clients


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    service = request.app.state.service
    body, content_type = service.observer.exposition(dict(service.store.seconds))
    return Response(body, media_type=content_type)
