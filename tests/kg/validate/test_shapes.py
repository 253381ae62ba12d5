"""Every shape has a valid fixture that conforms and an invalid one that fails on that shape.

Fixtures are written by ``tests/data/shapes/make_fixtures.py`` (see its docstring).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from kg.validate.shacl import validate

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "data" / "shapes"
SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPE_NS = "https://w3id.org/integration-kg/shapes#"


def _shape_names() -> list[str]:
    g = Graph()
    for f in (ROOT / "ontology" / "shapes").glob("*.ttl"):
        g.parse(f, format="turtle")
    return sorted(
        str(s).removeprefix(SHAPE_NS)
        for s in g.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef) and str(s).startswith(SHAPE_NS)
    )


SHAPES = _shape_names()


def test_shapes_found() -> None:
    assert len(SHAPES) >= 40


@pytest.mark.parametrize("name", SHAPES)
def test_every_shape_has_fixtures(name: str) -> None:
    assert (FIX / "valid" / f"{name}.ttl").is_file(), f"no valid fixture for {name}"
    assert list((FIX / "invalid").glob(f"{name}--*.ttl")), f"no invalid fixture for {name}"


@pytest.mark.parametrize("name", SHAPES)
def test_valid_fixture_has_no_results(name: str) -> None:
    report = validate(data_files=[FIX / "valid" / f"{name}.ttl"])
    assert report.results == [], [str(r) for r in report.results]


@pytest.mark.parametrize("path", sorted((FIX / "invalid").glob("*.ttl")), ids=lambda p: p.stem)
def test_invalid_fixture_fails_on_its_shape(path: Path) -> None:
    name = path.stem.split("--", 1)[0]
    report = validate(data_files=[path])
    fired = {r.node_shape for r in report.results}
    assert SHAPE_NS + name in fired, [str(r) for r in report.results]
    expected = "Warning" if "Recommended" in name else "Violation"
    assert any(r.node_shape == SHAPE_NS + name and r.severity == expected for r in report.results)
