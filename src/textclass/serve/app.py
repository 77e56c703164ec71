"""The app factory: a FastAPI app over served runs, with its limits and error bodies.

Every error is JSON ``{"error": "..."}`` with a 4xx/5xx status and never a stack
trace (:mod:`.errors`). The routes are routers in :mod:`.routes`, their bodies in
:mod:`.schema`; what they share (models, prediction thread, limits) is the app's
:class:`~textclass.serve.service.Service`, reached as a dependency.
"""

from contextlib import asynccontextmanager

from textclass.serve.models import ModelStore
from textclass.serve.service import ServeSettings, Service

__all__ = ["ServeSettings", "create_app"]


def create_app(
    run_dirs=(),
    *,
    names=None,
    default: str | None = None,
    settings: ServeSettings = ServeSettings(),  # noqa: B008 (frozen: safe to share)
    store: ModelStore | None = None,
    warm_up: bool = True,
):
    """The ASGI app serving ``run_dirs`` (or a ready ``store``); models load here, once.

    Warm-up starts with the app on the prediction thread: ``/healthz`` answers at once,
    ``/readyz`` says 503 until every model is loaded and warmed up.
    """
    try:
        from fastapi_offline import FastAPIOffline
    except ImportError:
        from textclass.errors import ConfigError

        raise ConfigError("serving needs FastAPI: pip install 'textclass[serve]'") from None
    from textclass.serve.errors import install_error_handlers
    from textclass.serve.routes import ROUTERS

    service = Service.create(store or ModelStore.load(run_dirs, names, default), settings)

    @asynccontextmanager
    async def lifespan(app):
        service.start(warm_up=warm_up)
        yield
        service.stop()

    # /docs (Swagger UI 5) and /redoc (ReDoc 2) from files installed with the package, under
    # /static-offline-docs: they work on a machine with no internet, and send nothing out
    app = FastAPIOffline(
        title="textclass",
        summary="Text classification models trained with textclass",
        lifespan=lifespan,
    )
    app.state.service = service  # what the routes reach (routes/dependencies.py)
    app.state.store = service.store  # the served models, for the caller (the CLI names them)
    _add_middlewares(app, service)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app


def _add_middlewares(app, service: Service) -> None:
    """Each added one wraps the ones before: the last added sees a request first."""
    from textclass.serve.access import AccessRules
    from textclass.serve.errors import BodyLimit
    from textclass.serve.observability import Observed

    settings = service.settings
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    # after the body limit, so it runs first: Host and key refused before the body is read
    app.add_middleware(
        AccessRules,
        api_key=settings.api_key,
        allowed_hosts=settings.allowed_hosts,
        max_key_failures=settings.max_key_failures,
    )
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    # outermost: every answer (the middlewares' 400, 401, 413 too) counted, logged, with an id
    app.add_middleware(Observed, observer=service.observer, access_log=settings.access_log)
