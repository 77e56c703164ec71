"""mkdocs hooks: pages generated from the code, so they cannot drift from it.

reference/cli.md: every `textclass` command, its arguments and options, read from the
Typer app (the same objects `textclass COMMAND --help` prints).
reference/http.md: every route of `textclass serve`, its request and answer bodies and every
error status, read from the service's OpenAPI document (what `/openapi.json` serves).
benchmarks.md: the tables of `benchmarks/results/*.md` as the benchmark scripts last wrote them.
"""

from __future__ import annotations

import re
from pathlib import Path

MARKER = "<!-- generated: textclass cli -->"
HTTP_MARKER = "<!-- generated: textclass http -->"
BENCH_MARKER = "<!-- generated: benchmark tables -->"
RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results"
_LOCAL_LINK = re.compile(r"\[([^\]]+)\]\((?!https?://)([^)]+)\)")


def benchmark_tables() -> str:
    """Each results page, its headings two levels down, its links to files of the
    repository shown as paths (the site holds only the docs)."""
    parts = []
    for page in sorted(RESULTS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        text = re.sub(
            r"^(#+) ", lambda m: "#" * min(len(m.group(1)) + 1, 6) + " ", text, flags=re.M
        )
        text = _LOCAL_LINK.sub(lambda m: f"{m.group(1)} (`{m.group(2)}`)", text)
        parts.append(f"## `{page.name}`\n\n{text}")
    return "\n\n".join(parts)


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


def http_reference() -> str:
    from textclass.serve import create_app
    from textclass.serve.models import ModelStore

    spec = create_app(store=ModelStore([]), warm_up=False).openapi()
    lines = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            lines += [f"## `{method.upper()} {path}`", "", op.get("summary", ""), ""]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            if body:
                lines += [f"Request body: `{_schema_name(body['schema'])}`.", ""]
            lines += ["| status | meaning | body |", "| --- | --- | --- |"]
            for status, answer in op["responses"].items():
                content = answer.get("content", {}).get("application/json", {})
                shown = f"`{_schema_name(content['schema'])}`" if content else ""
                lines.append(f"| {status} | {_cell(answer.get('description', ''))} | {shown} |")
            lines.append("")
    lines += ["## Bodies", ""]
    for name, schema in spec["components"]["schemas"].items():
        lines += [f"### `{name}`", "", _cell(schema.get("description", "")), ""]
        fields = schema.get("properties", {})
        if fields:
            lines += ["| field | type | description |", "| --- | --- | --- |"]
            required = set(schema.get("required", []))
            for field, info in fields.items():
                mark = " (required)" if field in required else ""
                lines.append(
                    f"| `{field}`{mark} | {_type(info)} | {_cell(info.get('description', ''))} |"
                )
            lines.append("")
    return "\n".join(lines)


def _schema_name(schema: dict) -> str:
    return schema.get("$ref", "").split("/")[-1] or schema.get("type", "object")


def _type(info: dict) -> str:
    if "$ref" in info:
        return f"`{_schema_name(info)}`"
    if "anyOf" in info:
        return " or ".join(_type(x) for x in info["anyOf"])
    if info.get("type") == "array":
        return f"list of {_type(info.get('items', {}))}"
    return info.get("type", "any")


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def on_page_markdown(markdown, page, config, files):
    if MARKER in markdown:
        return markdown.replace(MARKER, cli_reference())
    if HTTP_MARKER in markdown:
        return markdown.replace(HTTP_MARKER, http_reference())
    if BENCH_MARKER in markdown:
        return markdown.replace(BENCH_MARKER, benchmark_tables())
    return markdown
