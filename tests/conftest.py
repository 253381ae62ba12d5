"""Shared fixtures: settings pointing at the repository, and the loaded store (built once)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def store():
    """The shipped graph in an in-memory Oxigraph store (ontology, vocabularies, data, derived)."""
    from kg.load import load_store

    return load_store()
