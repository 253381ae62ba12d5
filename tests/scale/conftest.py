"""Small generated graphs shared by the scale tests (written once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.synthetic import GenerateStats, generate


@pytest.fixture(scope="session")
def clean_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerateStats]:
    """A conforming graph of ~6k triples in several files."""
    out = tmp_path_factory.mktemp("gen-clean")
    return out, generate(40, 11, out, chunk=15)


@pytest.fixture(scope="session")
def broken_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerateStats]:
    """A graph with located errors of every kind that leaves each file loadable."""
    out = tmp_path_factory.mktemp("gen-errors")
    return out, generate(40, 12, out, chunk=15, errors=0.05, load_errors=False)
