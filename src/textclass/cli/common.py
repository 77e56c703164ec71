"""Shared pieces of the ``textclass`` command: the app, exit codes, printing helpers.

The options commands share, and the one place that turns them into job requests,
are :mod:`textclass.cli.options`.
"""

from __future__ import annotations

import enum

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Text classification with Keras 3: train, evaluate, predict.",
)


def _show_version(value: bool) -> None:
    if value:
        from textclass import __version__

        typer.echo(f"textclass {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_show_version,
        is_eager=True,
        help="Print the installed version and exit",
    ),  # fmt: skip
) -> None:
    """Text classification with Keras 3: train, evaluate, predict."""


class ExitCode(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    DATA = 3
    INTERRUPTED = 130


# every run is seeded: without --seed, this one (printed, and stored in the run)
DEFAULT_SEED = 0
# Set by a command whose process holds nothing that needs a clean shutdown (``predict``
# of texts): the console script then ends with ``os._exit`` once its output is flushed,
# skipping the interpreter's teardown of Keras and JAX (about 0.5 s of a cold predict).
QUICK_EXIT = False


def _echo_err(message: str) -> None:
    typer.echo(message, err=True)


def _describe_seed(seed: int | None) -> tuple[int, str]:
    """(the seed to use, how to print it): ``seed``, or the default one, said so."""
    if seed is None:
        return DEFAULT_SEED, f"seed {DEFAULT_SEED} (the default; --seed N for another)"
    return seed, f"seed {seed}"


def _print_metrics(metrics: dict, title: str) -> None:
    from textclass.rendering.terminal import metrics_table

    typer.echo(metrics_table(metrics, title))
