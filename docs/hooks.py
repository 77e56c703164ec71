"""mkdocs hooks: pages generated from the code, so they cannot drift from it.

reference/cli.md: every `textclass` command, its arguments and options, read from the
Typer app (the same objects `textclass COMMAND --help` prints).
"""

from __future__ import annotations

MARKER = "<!-- generated: textclass cli -->"


def _command_section(name, command) -> str:
    lines = [f"## `textclass {name}`", "", (command.help or "").strip(), ""]
    rows = []
    for param in command.params:
        opts = ", ".join(f"`{opt}`" for opt in [*param.opts, *param.secondary_opts])
        kind = "argument" if param.param_type_name == "argument" else "option"
        help_text = " ".join((getattr(param, "help", None) or "").split()).replace("|", "\\|")
        default = param.default if not callable(param.default) else None
        shown = (
            ""
            if default in (None, False, (), []) or kind == "argument"
            else f" (default `{default}`)"
        )
        rows.append(f"| {opts} | {kind} | {help_text}{shown} |")
    if rows:
        lines += ["| name | kind | what it does |", "| --- | --- | --- |", *rows, ""]
    return "\n".join(lines)


def cli_reference() -> str:
    import typer.main

    from textclass.cli import app

    group = typer.main.get_command(app)
    return "\n".join(
        _command_section(name, group.commands[name]) for name in group.list_commands(None)
    )


def on_page_markdown(markdown, page, config, files):
    if MARKER in markdown:
        return markdown.replace(MARKER, cli_reference())
    return markdown
