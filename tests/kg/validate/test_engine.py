"""Whole-graph SPARQL validation (compiled shapes) agrees with pySHACL; one file re-validates."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from kg.exceptions import LoadError
from kg.synthetic import generate
from kg.validate.compiler import compile_shapes
from kg.validate.engine import _anchor_text, _check, _Shapes, compiled_shapes, fast_validate
from kg.validate.shacl import validate

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "data" / "shapes"
SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPE_NS = "https://w3id.org/integration-kg/shapes#"


def _keys(report) -> set[tuple[str, str | None, str]]:
    return {(_anchor_text(r.focus_node), r.node_shape, r.severity) for r in report.results}


def test_every_shape_is_compiled() -> None:
    """Every shipped shape compiles to SPARQL: none falls back to pySHACL."""
    g = Graph()
    for f in (ROOT / "ontology" / "shapes").glob("*.ttl"):
        g.parse(f, format="turtle")
    shapes = {s for s in g.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    compiled = compiled_shapes()
    assert compiled.unsupported == []
    assert compiled.skipped_roots == []
    assert shapes == set(compiled.roots)
    # The compiled queries name the shapes they come from.
    assert {str(c.root) for q in compiled.queries for c in q.checks} == {str(s) for s in shapes}


@pytest.mark.parametrize(
    "path", sorted(FIX.glob("*/*.ttl")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_same_focus_nodes_as_pyshacl_on_fixtures(path: Path) -> None:
    assert _keys(fast_validate(data_files=[path], cache=False)) == _keys(
        validate(data_files=[path])
    )


def test_same_focus_nodes_as_pyshacl_on_generated_errors(broken_graph) -> None:
    out, stats = broken_graph
    files = sorted(out.glob("*.ttl"))
    fast = fast_validate(data_files=files, cache=False)
    slow = validate(data_files=files)
    assert _keys(fast) == _keys(slow)
    expected = {(e.node, SHAPE_NS + e.shape) for e in stats.errors}
    assert len(expected) >= 5
    assert {(k[0], k[1]) for k in _keys(fast)} == expected
    assert fast.triples == slow.triples > 4_000
    # Messages are the shapes' own, and the file is named.
    r = next(r for r in fast.results if r.node_shape == SHAPE_NS + "MonetaryAmountShape")
    assert r.message.startswith("An amount needs") and r.files[0].endswith(".ttl")


def test_load_errors_are_located(tmp_path: Path) -> None:
    stats = generate(60, 4, tmp_path, chunk=20, errors=0.02)
    syntax = next(e for e in stats.errors if e.kind == "syntax")
    with pytest.raises(LoadError, match=rf"{syntax.file}:{syntax.line}: Turtle syntax error"):
        fast_validate(data_files=sorted(tmp_path.glob("*.ttl")), cache=False)
    (tmp_path / syntax.file).unlink()
    ill = next(e for e in stats.errors if e.kind == "ill-typed")
    with pytest.raises(LoadError, match=rf"{ill.file}:{ill.line}: invalid xsd:date"):
        fast_validate(data_files=sorted(tmp_path.glob("*.ttl")), cache=False)


def test_incremental_matches_a_full_run(clean_graph, tmp_path: Path) -> None:
    src, _ = clean_graph
    out = tmp_path / "g"
    shutil.copytree(src, out)
    files = sorted(out.glob("*.ttl"))
    cache = tmp_path / "cache"

    def both(changed: Path) -> tuple[list, list]:
        inc = fast_validate(data_files=files, changed=changed, cache=cache)
        full = fast_validate(data_files=files, cache=False)

        def key(r):
            return (_anchor_text(r.focus_node), r.shape, r.message)

        assert inc.triples == full.triples
        return sorted(map(key, inc.results)), sorted(map(key, full.results))

    assert fast_validate(data_files=files, cache=cache).conforms
    chunk1, chunk0 = out / "orgs-0001.ttl", out / "orgs-0000.ttl"
    t1, t0 = chunk1.read_text(), chunk0.read_text()
    chunk1.write_text(t1.replace("schema:value ", "schema:value -", 1))
    inc, full = both(chunk1)
    assert inc == full and len(inc) == 1
    # Removing an organisation that other files point at: their nodes now fail.
    m = re.search(r"^(actor:\S+) a org:FormalOrganization ;.*?\.\n", t0, re.S | re.M)
    assert m
    chunk0.write_text(t0.replace(m.group(0), "", 1))
    inc, full = both(chunk0)
    assert inc == full and len(inc) > 1
    chunk0.write_text(t0)
    chunk1.write_text(t1)
    inc, full = both(chunk1)  # chunk0 changed too: picked up by its mtime
    assert inc == full == []
    chunk1.write_text(t1 + '\nactor:x skos:prefLabel "broken ;\n')
    with pytest.raises(LoadError, match="orgs-0001.ttl"):
        fast_validate(data_files=files, changed=chunk1, cache=cache)


def test_uncompiled_shapes_fall_back_to_pyshacl() -> None:
    """A shape the compiler cannot compile is checked by pySHACL, the others by SPARQL."""
    shapes_ttl = """PREFIX sh: <http://www.w3.org/ns/shacl#>
    PREFIX ex: <http://ex.org/>
    ex:Hard a sh:NodeShape ; sh:targetClass ex:C ;
        sh:or ( [ sh:path ex:p ; sh:minCount 7 ] [ sh:path ex:q ; sh:minCount 1 ] ) .
    ex:Easy a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:r ; sh:minCount 1 ] .
    """
    g = Graph().parse(data=shapes_ttl, format="turtle")
    shapes = _Shapes(g, compile_shapes(g))
    assert shapes.compiled.skipped_roots == [URIRef("http://ex.org/Hard")]
    store = ox.Store()
    store.load("<http://ex.org/a> a <http://ex.org/C> .", format=ox.RdfFormat.TURTLE)
    got = {(r.focus.value, r.root_shape, r.component) for r in _check(store, shapes)}
    assert got == {
        ("http://ex.org/a", URIRef("http://ex.org/Hard"), SH.OrConstraintComponent),
        ("http://ex.org/a", URIRef("http://ex.org/Easy"), SH.MinCountConstraintComponent),
    }
