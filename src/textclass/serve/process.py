"""The server process: uvicorn over the app, with one worker or several behind one port.

:func:`run_server` is what ``textclass serve`` runs. With one worker the app is built and
served in this process. With ``workers > 1`` uvicorn's supervisor binds the port and
spawns the workers; each builds the same app from the spec this process leaves in its
environment (:mod:`.worker`), so each loads its models once. The supervisor restarts a
worker that dies, replaces them one at a time on SIGHUP, and stops a worker that fails to
start, and itself with it. On SIGTERM every worker stops gracefully (:mod:`.stopping`).
``/metrics`` adds every worker's counts up (prometheus-client's multiprocess mode, in a
temporary folder removed at the end).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from textclass.serve.service import ServeSettings

SPEC_ENV = "TEXTCLASS_SERVE_SPEC"  # what a worker builds: runs, names, settings (no key)
KEY_ENV = "TEXTCLASS_SERVE_API_KEY"  # the key, for the workers (never in the spec)
# Predictions run on a worker thread; with CPython's default 5 ms GIL switch interval each
# hand-over between it and the event loop can wait that long (measured: one client's p99
# 22 ms -> 7 ms at 0.5 ms). A server process is ours to set.
SWITCH_INTERVAL_S = 0.0005


@dataclass(frozen=True)
class ServerOptions:
    """How the process serves, beside what the app does (:class:`ServeSettings`)."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    read_timeout_s: float = 10.0  # to send one request whole (408 / closed)
    max_connections: int = 512  # connections and requests at once, per worker (503)
    grace_s: float = 30.0  # on SIGTERM, for requests in flight to finish


def run_server(
    run_dirs: list[Path],
    *,
    names: list[str] | None = None,
    default: str | None = None,
    settings: ServeSettings = ServeSettings(),  # noqa: B008 (frozen)
    options: ServerOptions = ServerOptions(),  # noqa: B008 (frozen)
    announce=print,
) -> None:
    """Serve ``run_dirs`` until stopped; ``announce`` gets one line once the models are known."""
    import uvicorn

    from textclass.serve.transport import guarded_protocol

    common = {
        "host": options.host, "port": options.port, "log_level": "warning",
        "limit_concurrency": options.max_connections,
        "timeout_graceful_shutdown": options.grace_s,
    }  # fmt: skip
    if options.workers == 1:
        from textclass.serve.app import create_app

        app = create_app(run_dirs, names=names, default=default, settings=settings)
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        announce(_serving(list(app.state.store.models), options))
        uvicorn.run(app, http=guarded_protocol(options.read_timeout_s), **common)
        return
    served = _checked_names(run_dirs, names, default)
    with tempfile.TemporaryDirectory(prefix="textclass-metrics-") as metrics_dir:
        _leave_spec(run_dirs, served, default, settings, options, metrics_dir)
        announce(_serving(served, options))
        config = uvicorn.Config(
            "textclass.serve.worker:build_app", factory=True, workers=options.workers,
            http="textclass.serve.worker:Protocol", **common,
        )  # fmt: skip
        _supervisor()(config, sockets=[config.bind_socket()]).run()


def _supervisor() -> type:
    """uvicorn's worker supervisor, which on SIGTERM also closes its own copy of the port:
    once the workers have closed theirs, new connections are refused, not queued unanswered
    until the supervisor exits."""
    from uvicorn.supervisors import Multiprocess

    class Supervisor(Multiprocess):
        def terminate_all(self) -> None:
            for sock in self.sockets:
                sock.close()
            super().terminate_all()

    return Supervisor


def _serving(models: list[str], options: ServerOptions) -> str:
    workers = f" ({options.workers} workers)" if options.workers > 1 else ""
    return f"serving {', '.join(models)} on http://{options.host}:{options.port}{workers}"


def _checked_names(run_dirs, names, default) -> list[str]:
    """The served names, checked here before any worker starts (each worker would fail the
    same way): names unique, the default one of them, every run directory readable."""
    from textclass.persistence import RunDirectory
    from textclass.serve.models import served_names

    served = served_names(run_dirs, names, default)
    for path in run_dirs:
        RunDirectory(Path(path)).read_config()
    return served


def _leave_spec(run_dirs, names, default, settings, options, metrics_dir) -> None:
    """What each worker reads at start-up (:mod:`.worker`), in this process's environment,
    which the spawned workers inherit."""
    fields = asdict(settings)
    key = fields.pop("api_key")
    if key is not None:
        os.environ[KEY_ENV] = key
    spec = {
        "runs": [str(Path(p).resolve()) for p in run_dirs],
        "names": names, "default": default, "settings": fields,
        "read_timeout_s": options.read_timeout_s,
    }  # fmt: skip
    os.environ[SPEC_ENV] = json.dumps(spec)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir  # before a worker imports the client
