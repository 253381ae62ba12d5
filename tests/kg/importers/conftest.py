"""Helpers of the import tests: the shipped examples (fictitious, written for this project)."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
GRANTS = EXAMPLES / "360giving" / "grants.json"
ACTIVITIES = EXAMPLES / "iati" / "activities.xml"
SHEET = EXAMPLES / "sheet"
STAMP = re.compile(rb'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\^\^xsd:dateTime')


def without_stamp(data: bytes) -> bytes:
    """The Turtle of an import with its one timestamp blanked."""
    return STAMP.sub(b'"T"', data)


def triples(path: Path) -> list[ox.Triple]:
    """Parse an import's Turtle."""
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def ask(path: Path, query: str) -> list[dict[str, str]]:
    """Run a SELECT over one import file (prefixes predeclared); rows of plain strings."""
    from kg.namespaces import prefix_block

    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    res = store.query(prefix_block() + "PREFIX frapo: <http://purl.org/cerif/frapo/>\n" + query)
    names = [v.value for v in res.variables]
    return [{n: (r[n].value if r[n] is not None else None) for n in names} for r in res]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An import folder that does not exist yet."""
    return tmp_path / "imported"
