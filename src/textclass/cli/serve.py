"""``textclass serve``: run directories behind HTTP (FastAPI + uvicorn; serve/process.py)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated

import typer

from textclass.cli.common import _echo_err, app

Runs = Annotated[list[Path], typer.Argument(help="Run directories written by `train --out`")]
Host = Annotated[str, typer.Option(help="Address to bind (not loopback: needs an API key)")]
Port = Annotated[int, typer.Option(help="Port to listen on")]
Names = Annotated[
    list[str], typer.Option("--name", help="Model names, one per run (default: folder names)")
]
Default = Annotated[
    str | None, typer.Option(help="Model answering POST /v1/predict (one model: that one)")
]
KeyEnv = Annotated[
    str | None,
    typer.Option(help="Environment variable holding the API key (Authorization: Bearer)"),
]
CorsOrigins = Annotated[
    list[str], typer.Option("--cors-origin", help="Allow browser calls from this origin")
]
MaxTexts = Annotated[int, typer.Option(help="Texts per request")]
MaxChars = Annotated[int, typer.Option(help="Characters per text")]
MaxBody = Annotated[int, typer.Option(help="Request body size")]
Timeout = Annotated[float, typer.Option(help="Seconds per request before 504")]
AllowedHosts = Annotated[
    list[str],
    typer.Option(
        "--allowed-host",
        help="Host header to answer (repeatable; default for a loopback bind: 127.0.0.1, "
        "localhost, ::1; otherwise any)",
    ),
]
ReadTimeout = Annotated[
    float, typer.Option(help="Seconds a client has to send each request (else 408 / closed)")
]
MaxConnections = Annotated[
    int, typer.Option(help="Connections and requests at once (more get 503)")
]
AccessLog = Annotated[bool, typer.Option(help="A JSON line per request on stderr")]
Workers = Annotated[
    int, typer.Option(min=1, help="Processes behind the port, each loading the models once")
]
DrainSeconds = Annotated[
    float,
    typer.Option(min=0, help="On SIGTERM: seconds of /readyz 503, still serving, before stopping"),
]
GraceSeconds = Annotated[
    float, typer.Option(min=0, help="On SIGTERM: seconds for requests in flight to finish")
]
# a loopback server answers only its own names: a page elsewhere that points its name at
# 127.0.0.1 (DNS rebinding) gets 400 (serve/access.py)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    runs: Runs,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    name: Names = [],  # noqa: B006
    default: Default = None,
    api_key_env: KeyEnv = None,
    cors_origin: CorsOrigins = [],  # noqa: B006
    max_texts: MaxTexts = 256,
    max_chars: MaxChars = 100_000,
    max_body_bytes: MaxBody = 1 << 20,
    timeout: Timeout = 10.0,
    allowed_host: AllowedHosts = [],  # noqa: B006
    read_timeout: ReadTimeout = 10.0,
    max_connections: MaxConnections = 512,
    access_log: AccessLog = False,
    workers: Workers = 1,
    drain_seconds: DrainSeconds = 2.0,
    grace_seconds: GraceSeconds = 30.0,
) -> None:
    """Serve models over HTTP: /v1/models, /v1/models/NAME/predict, a page at /, /docs."""
    from textclass.serve.process import ServerOptions, run_server

    options = ServerOptions(
        host=host, port=port, workers=workers, read_timeout_s=read_timeout,
        max_connections=max_connections, grace_s=grace_seconds,
    )  # fmt: skip
    run_server(
        runs, names=name or None, default=default, settings=_settings(dict(locals())),
        options=options, announce=_echo_err,
    )  # fmt: skip


def _settings(given: dict):
    """The server's settings from its options; a public bind without a key is refused."""
    from textclass.errors import ConfigError
    from textclass.serve import ServeSettings

    api_key, host = None, given["host"]
    if given["api_key_env"]:
        api_key = os.environ.get(given["api_key_env"])
        if not api_key:
            raise ConfigError(
                f"--api-key-env {given['api_key_env']}: that variable is not set or empty"
            )
    if not _is_loopback(host) and api_key is None:
        raise ConfigError(
            f"binding to {host} exposes the models beyond this machine: give an API key "
            "with --api-key-env VAR (or bind to 127.0.0.1)"
        )
    hosts = tuple(given["allowed_host"]) or (LOOPBACK_HOSTS if _is_loopback(host) else ())
    return ServeSettings(
        max_body_bytes=given["max_body_bytes"],
        max_texts=given["max_texts"],
        max_chars=given["max_chars"],
        timeout_s=given["timeout"],
        api_key=api_key,
        cors_origins=tuple(given["cors_origin"]),
        allowed_hosts=hosts,
        access_log=given["access_log"],
        drain_s=given["drain_seconds"],
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
