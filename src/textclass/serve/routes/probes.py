"""The probes: ``/healthz`` (the process is alive) and ``/readyz`` (models warmed up),
both answering HEAD too (load balancers probe with it)."""

from fastapi import APIRouter

from textclass.serve.routes.dependencies import ServiceDep
from textclass.serve.schema import Health, Readiness, error_responses
from textclass.serve.service import ServeError

router = APIRouter(tags=["probes"], responses=error_responses("default"))


@router.head("/healthz", include_in_schema=False)
@router.get("/healthz", summary="The process is alive", response_model=Health)
async def healthz() -> dict:
    return {"status": "ok"}


@router.head("/readyz", include_in_schema=False)
@router.get(
    "/readyz",
    summary="Every model is loaded and warmed up",
    response_model=Readiness,
    responses=error_responses(503),
)
async def readyz(service: ServiceDep) -> dict:
    store = service.store
    if service.stopping.is_set():  # SIGTERM: balancers, send new clients elsewhere
        raise ServeError(503, "stopping")
    if store.warm_error:
        raise ServeError(503, f"warm-up failed: {store.warm_error}")
    if not store.ready.is_set():
        raise ServeError(503, "warming up")
    return {"status": "ready", "models": list(store.models)}
