"""``GET /metrics``: the server's Prometheus metrics (:mod:`..observability`)."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)  # for scrapers, not clients


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    body, content_type = request.app.state.service.observer.exposition()
    return Response(body, media_type=content_type)
