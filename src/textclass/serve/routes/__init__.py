"""The HTTP routes, one router per concern; ``create_app`` includes each of ``ROUTERS``.

An endpoint is a function in one of these modules, its bodies in :mod:`..schema`; a
new concern is a new module whose router joins ``ROUTERS``.
"""

from textclass.serve.routes import cards, metrics, page, predictions, probes

ROUTERS = (probes.router, cards.router, predictions.router, page.router, metrics.router)
