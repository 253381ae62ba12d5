"""Shared fixtures: the repository root, and the shipped graph loaded once (store and backend)."""

from __future__ import annotations

from pathlib import Path

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
