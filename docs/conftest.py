"""The handbook's pages as doctests: each page runs in a fresh folder with the environment restored.

pytest collects every ``>>>`` session of ``docs/**/*.md`` (``--doctest-glob=*.md`` in
``pyproject.toml``). The examples write files (figures, Turtle, queries) into the current folder
and may set ``KG_*`` variables, as a reader would; this fixture gives each page an empty
working folder and undoes environment changes and the cached settings afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# The notebook is executed by tests/docs/test_notebook.py, not imported as a module; the
# generator is the MkDocs hook, tested through the build.
collect_ignore = ["notebooks", "gen_reference.py"]


@pytest.fixture(autouse=True)
def _page_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from kg.settings import get_settings

    monkeypatch.chdir(tmp_path)
    saved = dict(os.environ)
    get_settings.cache_clear()
    yield
    os.environ.clear()
    os.environ.update(saved)
    get_settings.cache_clear()
