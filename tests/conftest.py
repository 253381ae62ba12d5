"""Shared fixtures: the repository root, and the shipped graph loaded once (store and backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import shipped_backend

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def backend():
    """The shipped graph behind the :class:`kg.sparql.backend.Backend` interface."""
    return shipped_backend()


@pytest.fixture(scope="session")
def store(backend):
    """The shipped graph in an in-memory Oxigraph store (ontology, vocabularies, data, derived)."""
    return backend.store


# Small generated graphs (written once per session, only when a test asks for them).
@pytest.fixture(scope="session")
def clean_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """A conforming graph of ~6k triples in several files."""
    from kg.synthetic import generate

    out = tmp_path_factory.mktemp("gen-clean")
    return out, generate(40, 11, out, chunk=15)


@pytest.fixture(scope="session")
def broken_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """A graph with located errors of every kind that leaves each file loadable."""
    from kg.synthetic import generate

    out = tmp_path_factory.mktemp("gen-errors")
    return out, generate(40, 12, out, chunk=15, errors=0.05, load_errors=False)
