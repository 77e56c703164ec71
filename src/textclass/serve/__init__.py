"""The HTTP service: trained run directories behind FastAPI (``textclass serve``).

``create_app(run_dirs, ...)`` builds the ASGI app (for tests, and for users who
mount it in their own app); :mod:`.models` loads and warms the models once,
:mod:`.app` holds the routes, limits and API-key rule, :mod:`.page` the page at ``/``.
FastAPI and uvicorn come with the ``serve`` extra: ``pip install 'textclass[serve]'``.
"""

from textclass.serve.app import ServeSettings, create_app

__all__ = ["ServeSettings", "create_app"]
