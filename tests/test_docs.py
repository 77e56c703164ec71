"""The documentation is checked like code: the site builds strictly and reads offline,
and the README stays a landing page with the set-up commands near its top."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_readme_is_a_landing_page_with_the_setup_commands_first():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines; move detail to docs/"
    head = "\n".join(lines[:40])
    assert "./dev run" in head and "./dev test" in head


def test_readme_links_to_files_that_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#]+)\)", text)
    local = [t for t in targets if "://" not in t]
    assert local, "the README links to no docs page"
    missing = [t for t in local if not (ROOT / t).exists()]
    assert not missing, f"README links to missing files: {missing}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pytest.importorskip("mkdocs", reason="the docs extra is not installed (./dev installs it)")
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_site_builds_strictly(site):
    assert (site / "index.html").is_file()
    assert (site / "guides" / "serving" / "index.html").is_file()


def test_cli_reference_is_generated_from_the_typer_app(site):
    page = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    for command in ("train", "evaluate", "predict", "search", "serve"):
        assert f"textclass {command}" in page
    assert "--drain-seconds" in page  # an option that only the code, not a page, names


def test_http_reference_is_generated_from_the_openapi_document(site):
    pytest.importorskip("fastapi", reason="the serve extra is not installed")
    from textclass.serve.routes import ROUTERS

    page = (site / "reference" / "http" / "index.html").read_text(encoding="utf-8")
    for router in ROUTERS:
        for route in router.routes:
            if getattr(route, "include_in_schema", False):
                for method in route.methods:
                    assert f"{method} {route.path}" in page, (method, route.path)
    assert "Too many wrong API keys" in page  # the 429 the service documents
    assert "PredictRequest" in page and "ErrorResponse" in page


def test_python_reference_is_generated_from_the_docstrings(site):
    page = (site / "reference" / "python" / "index.html").read_text(encoding="utf-8")
    for name in ("TextClassifier", "split_dataset", "Predictor", "create_app", "AuditReport"):
        assert name in page, name
    # a sentence that lives only in a docstring: the page was rendered from the code
    assert "one threshold per label" in page or "thresholds tuned" in page


def test_site_reads_offline(site):
    remote = re.compile(r"""<(?:script|link)[^>]+(?:src|href)=["']?(?:https?:)?//""", re.I)
    offenders = {
        str(page.relative_to(site)): remote.findall(page.read_text(encoding="utf-8"))
        for page in site.rglob("*.html")
    }
    offenders = {page: found for page, found in offenders.items() if found}
    assert not offenders, f"pages load scripts, styles or fonts from the web: {offenders}"


def test_benchmark_tables_are_on_the_site(site):
    page = (site / "benchmarks" / "index.html").read_text(encoding="utf-8")
    results = sorted((ROOT / "benchmarks" / "results").glob("*.md"))
    assert results and all(f"{p.name}" in page for p in results)
    assert page.count("<table>") >= len(results)
