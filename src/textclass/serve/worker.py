"""One process of ``textclass serve --workers N``: its HTTP protocol and its app, built from
the spec the supervisor left in the environment (:mod:`.process`).

uvicorn imports this module in each spawned worker (``http=`` and the app factory are
import strings: a class or app made in the supervisor cannot cross into a spawned process).
"""

from __future__ import annotations

import json
import os
import sys

from textclass.serve.process import KEY_ENV, SPEC_ENV, SWITCH_INTERVAL_S
from textclass.serve.transport import guarded_protocol

_SPEC = json.loads(os.environ.get(SPEC_ENV, "{}"))
Protocol = guarded_protocol(_SPEC.get("read_timeout_s", 10.0))


def build_app():
    """The app of this worker: the same runs, names and settings as the supervisor's."""
    from textclass.serve.app import create_app
    from textclass.serve.service import ServeSettings

    if not _SPEC:
        raise RuntimeError(f"{SPEC_ENV} is not set: start workers with `textclass serve`")
    given = {k: tuple(v) if isinstance(v, list) else v for k, v in _SPEC["settings"].items()}
    settings = ServeSettings(**given, api_key=os.environ.get(KEY_ENV))
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    return create_app(
        _SPEC["runs"], names=_SPEC["names"], default=_SPEC["default"], settings=settings
    )
