"""The layering of ``src/textclass`` is checked, not hoped: the import-linter contracts
in ``pyproject.toml`` (imports only go down the layers; no cycles between the modules or
packages of any package) must hold, and a broken one names the offending import."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


MODULE_LINES = 350
FUNCTION_LINES = 60


def test_modules_and_functions_stay_small():
    """A newcomer reads a module in one sitting and a function on one screen: no module
    of src/textclass over 350 lines, no function (a method, a CLI command with its option
    list) over 60."""
    import ast

    too_long = []
    for path in sorted((ROOT / "src" / "textclass").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT / "src").as_posix()
        if len(text.splitlines()) > MODULE_LINES:
            too_long.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > FUNCTION_LINES:
                    too_long.append(f"{name}:{node.lineno} {node.name}: {lines} lines")
    assert not too_long, "\n".join(too_long)
