"""Every example in the README and the docs still works with the code (issue 35).

- Each ``python`` block runs, as written, in a fresh process in an empty folder (named
  datasets from ``$TEXTCLASS_DATA``: ../shared/data).
- Each ``textclass`` command of a ``bash`` block is parsed by the command line itself
  (click's parser, nothing executed): a renamed command or option, a missing argument or
  a value of the wrong type fails here, naming the page and the line.
- The README's command-line quickstart runs as written, on a tiny ``reviews.csv`` and the
  shared UCI data (``serve`` aside).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def blocks(language: str) -> list[tuple[str, str]]:
    """``(page:line, code)`` of every fenced block in ``language``."""
    out = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match.group(1) == language:
                line = text[: match.start()].count("\n") + 2
                out.append((f"{page.relative_to(ROOT)}:{line}", match.group(2)))
    return out


def commands(code: str) -> list[list[str]]:
    """The ``textclass`` commands of a shell block, as argument lists: continuation lines
    joined, comments and ``VAR=value`` prefixes dropped, pipes and redirections cut."""
    found = []
    for line in code.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
            words = words[1:]
        if words[:1] != ["textclass"] or "..." in words:
            continue
        for stop in ("|", ">", "2>", "&&", ";"):
            if stop in words:
                words = words[: words.index(stop)]
        found.append(words[1:])
    return found


SHELL = [(where, args) for where, code in blocks("bash") for args in commands(code)]
PYTHON = blocks("python")


def test_the_docs_have_examples_to_check():
    assert len(SHELL) >= 30 and len(PYTHON) >= 2


@pytest.mark.parametrize(("where", "args"), SHELL, ids=[f"{w} {a[0]}" for w, a in SHELL])
def test_shell_example_parses(where, args):
    import click
    import typer

    from textclass.cli import app

    group = typer.main.get_command(app)
    context = group.make_context("textclass", list(args))
    command = group.get_command(context, args[0])
    assert command is not None, f"{where}: no command textclass {args[0]}"
    try:
        command.make_context(args[0], list(args[1:]), parent=context)
    except click.ClickException as exc:
        pytest.fail(f"{where}: textclass {shlex.join(args)}: {exc.format_message()}")


@pytest.mark.parametrize(("where", "code"), PYTHON, ids=[w for w, _ in PYTHON])
def test_python_example_runs(where, code, tmp_path, shared_data):
    env = {**os.environ, "TEXTCLASS_DATA": str(shared_data)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, f"{where}:\n{done.stderr[-3000:]}"


REVIEWS = "review,stars\n" + "".join(
    f"{text} {i},{stars}\n"
    for i in range(12)
    for text, stars in (("great food and kind staff", 5), ("cold food and rude staff", 1))
)


def test_readme_cli_quickstart_runs(tmp_path, shared_data):
    """The README's command-line quickstart, run as written in an empty folder (its
    ``reviews.csv`` a tiny file made here; ``serve`` is left to the serve tests: it blocks)."""
    (where, code), *_ = [b for b in blocks("bash") if "textclass evaluate" in b[1]]
    assert where.startswith("README.md")
    (tmp_path / "reviews.csv").write_text(REVIEWS)
    env = {**os.environ, "TEXTCLASS_DATA": str(shared_data)}
    program = str(Path(sys.executable).with_name("textclass"))
    ran = []
    for args in commands(code):
        if args[0] == "serve":
            continue
        done = subprocess.run([program, *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, f"{where}: textclass {shlex.join(args)}\n{done.stderr[-2000:]}"
        ran.append(args[0])
    assert ran == ["train", "train", "evaluate", "predict"]
    assert (tmp_path / "runs" / "yelp" / "config.json").exists()
    assert (tmp_path / "runs" / "r" / "config.json").exists()
