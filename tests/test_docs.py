"""The documentation builds without a warning (broken references fail), and the README's
library example runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_docs_build_without_warnings(tmp_path: Path) -> None:
    pytest.importorskip("sphinx")
    pytest.importorskip("myst_parser")
    pytest.importorskip("myst_nb")
    result = subprocess.run(
        [
            sys.executable, "-m", "sphinx", "-W", "-n", "--keep-going", "-q", "-E",
            "-b", "html", "-d", str(tmp_path / "doctrees"), str(ROOT / "docs"),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    html = tmp_path / "html"
    assert (html / "getting-started.html").exists()
    api = (html / "api.html").read_text(encoding="utf-8")
    for name in ("read_cases", "assess", "liability_by_month", "compare"):
        assert f'id="dwangsom.cases.{name}"' in api, name
    assert 'id="dwangsom.explain.explain"' in api and 'id="dwangsom.projection.project"' in api
    assert list((html / "_downloads").rglob("audit.ipynb"))
    assert 'id="dwangsom.export.write_table"' in api
    assert 'id="dwangsom._dates' not in api  # the reference lists the public API only
    audit = (html / "audit.html").read_text(encoding="utf-8")  # rendered, executed at build
    assert audit.count("<img") >= 3 and "Case SYN-" in audit


def test_readme_library_example_runs(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    assert len(blocks) == 1
    code = blocks[0]
    assert len(code.strip().splitlines()) <= 10
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "total_cumulative" in result.stdout and "Case SYN-001618" in result.stdout


def test_readme_links_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if "://" not in target:
            path = ROOT / target
            if path.name in ("projection.md", "examples"):  # written by the projection work
                continue
            assert path.exists(), target


def test_benchmark_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_cases.py"), "--quick"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^  assess +[\d.]+ s \[[\d.]+-[\d.]+\]", result.stdout, re.MULTILINE)
    assert re.search(
        r"^2\. assess / one busday_offset pass +[\d.]+x +\(target", result.stdout, re.MULTILINE
    )
