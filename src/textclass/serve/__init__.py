"""The HTTP service: trained run directories behind FastAPI (``textclass serve``).

``create_app(run_dirs, ...)`` builds the ASGI app (for tests, and for users who
mount it in their own app); :mod:`.models` loads and warms the models once,
:mod:`.service` holds what the routes share (prediction thread, batchers, limits),
:mod:`.routes` the routers (probes, model cards, predictions, the page at ``/``),
:mod:`.schema` their request, response and error bodies, :mod:`.errors` the error
handlers and body-size limit. FastAPI and uvicorn come with the ``serve`` extra:
``pip install 'textclass[serve]'``.
"""

from textclass.serve.app import ServeSettings, create_app

__all__ = ["ServeSettings", "create_app"]
