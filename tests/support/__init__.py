"""Helpers for the tests and benchmarks only (not shipped in the wheel)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kg.sparql.backend import LocalBackend


@lru_cache(maxsize=1)
def shipped_backend() -> LocalBackend:
    """The shipped graph in one in-memory store, loaded once per test process."""
    from kg.loader.load import load_store
    from kg.sparql.backend import LocalBackend

    return LocalBackend(load_store())
