"""The ``textclass`` command: a thin shell over the jobs (:mod:`textclass.jobs`).

Each command parses its options, calls one library function and prints. Errors
that are the user's to fix print one line and exit with a status from
:class:`ExitCode`; anything else is a bug and keeps its traceback.

``common`` holds the app and exit codes, ``options`` the shared options and the one
place that turns options into job requests; ``jobs`` the single-model commands
(train, evaluate, report, predict), ``catalog`` the listings (datasets, models),
``experiments`` the many-model ones (compare, search), ``serve`` the service, ``audit``
the data audit.
"""

from __future__ import annotations

import sys

import typer

from textclass.cli import common
from textclass.cli.common import ExitCode, _echo_err, app

# isort: split
# importing the command modules registers their commands, in this order
from textclass.cli import jobs  # noqa: F401

# isort: split
from textclass.cli import catalog  # noqa: F401

# isort: split
from textclass.cli import experiments  # noqa: F401

# isort: split
from textclass.cli import serve  # noqa: F401

# isort: split
from textclass.cli import audit  # noqa: F401

__all__ = ["ExitCode", "app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    from textclass.errors import ArtifactError, ConfigError, DataError, TextclassError
    from textclass.runtimes import keras_loading

    keras_loading.LEAN_IMPORT = True  # this process is ours: keras without unused extras

    try:
        app(args=argv, standalone_mode=False)
    except (DataError, ArtifactError) as exc:
        _echo_err(f"error: {exc}")
        return ExitCode.DATA
    except ConfigError as exc:
        _echo_err(f"error: {exc}")
        return ExitCode.USAGE
    except TextclassError as exc:
        _echo_err(f"error: {exc}")
        return ExitCode.ERROR
    except typer.TyperException as exc:  # usage errors: bad option, missing argument
        if hasattr(exc, "show"):
            exc.show()
        else:
            _echo_err(f"error: {exc.format_message()}")
        return ExitCode.USAGE
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        _echo_err("interrupted")
        return ExitCode.INTERRUPTED
    if argv is None and common.QUICK_EXIT:  # the console script, never a caller's process
        _quick_exit(ExitCode.OK)
    return ExitCode.OK


def _quick_exit(code: int) -> None:
    """Flush what was printed and end the process now: see ``common.QUICK_EXIT``."""
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(int(code))


if __name__ == "__main__":
    sys.exit(main())
