"""``textclass serve``: run directories behind HTTP (FastAPI + uvicorn, one worker)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated

import typer

from textclass.cli.common import _echo_err, app


@app.command()
def serve(
    runs: Annotated[list[Path], typer.Argument(help="Run directories written by `train --out`")],
    host: Annotated[str, typer.Option(help="Address to bind (not loopback: needs an API key)")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    name: Annotated[
        list[str], typer.Option("--name", help="Model names, one per run (default: folder names)")
    ] = [],  # noqa: B006
    default: Annotated[
        str | None, typer.Option(help="Model answering POST /v1/predict (one model: that one)")
    ] = None,
    api_key_env: Annotated[
        str | None,
        typer.Option(help="Environment variable holding the API key (Authorization: Bearer)"),
    ] = None,
    cors_origin: Annotated[
        list[str], typer.Option("--cors-origin", help="Allow browser calls from this origin")
    ] = [],  # noqa: B006
    max_texts: Annotated[int, typer.Option(help="Texts per request")] = 256,
    max_chars: Annotated[int, typer.Option(help="Characters per text")] = 100_000,
    max_body_bytes: Annotated[int, typer.Option(help="Request body size")] = 1 << 20,
    timeout: Annotated[float, typer.Option(help="Seconds per request before 504")] = 10.0,
) -> None:
    """Serve models over HTTP: /v1/models, /v1/models/NAME/predict, a page at /, /docs."""
    from textclass.errors import ConfigError
    from textclass.serve import ServeSettings, create_app

    api_key = None
    if api_key_env:
        api_key = os.environ.get(api_key_env)
        if not api_key:
            raise ConfigError(f"--api-key-env {api_key_env}: that variable is not set or empty")
    if not _is_loopback(host) and api_key is None:
        raise ConfigError(
            f"binding to {host} exposes the models beyond this machine: give an API key "
            "with --api-key-env VAR (or bind to 127.0.0.1)"
        )
    if name and len(name) != len(runs):
        raise ConfigError(f"{len(name)} --name for {len(runs)} run directories")
    settings = ServeSettings(
        max_body_bytes=max_body_bytes,
        max_texts=max_texts,
        max_chars=max_chars,
        timeout_s=timeout,
        api_key=api_key,
        cors_origins=tuple(cors_origin),
    )
    application = create_app(runs, names=name or None, default=default, settings=settings)
    import sys

    import uvicorn

    # Predictions run on a worker thread; with CPython's default 5 ms GIL switch
    # interval each hand-over between it and the event loop can wait that long
    # (measured: one client's p99 22 ms -> 7 ms at 0.5 ms). This process is ours.
    sys.setswitchinterval(0.0005)

    _echo_err(f"serving {', '.join(application.state.store.models)} on http://{host}:{port}")
    uvicorn.run(application, host=host, port=port, workers=1, log_level="warning")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
