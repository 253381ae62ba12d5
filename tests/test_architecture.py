"""The layers of docs/architecture.md hold, and `lint-imports` (in `make lint`) catches an upward import.

Expected results: the contracts in pyproject.toml are kept on the tree as it is; after one
upward import is written into a copy of the tree (the core importing the web application, and
the loader importing the SPARQL layer above it) the same command fails and names the import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    copy = tmp_path / "tree"
    copy.mkdir()
    for name in ("kg", "api"):
        shutil.copytree(
            ROOT / name, copy / name, ignore=shutil.ignore_patterns("static", "__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_contracts_are_kept(tree: Path) -> None:
    res = _lint(tree)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "3 kept, 0 broken" in res.stdout


@pytest.mark.parametrize(
    ("module", "line", "names"),
    [
        ("kg/summary.py", "import api.main  # noqa\n", "kg.summary -> api.main"),
        (
            "kg/loader/files.py",
            "import kg.sparql.named  # noqa\n",
            "kg.loader.files -> kg.sparql.named",
        ),
        (
            "kg/sparql/backend.py",
            "import kg.cli.render  # noqa\n",
            "kg.sparql.backend -> kg.cli.render",
        ),
    ],
)
def test_an_upward_import_breaks_the_lint(tree: Path, module: str, line: str, names: str) -> None:
    path = tree / module
    path.write_text(path.read_text() + "\n" + line)
    res = _lint(tree)
    assert res.returncode != 0
    assert names in res.stdout, res.stdout
