"""Regressions found by the stress runs (schemathesis) and the benchmark review."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from api.main import create_app
from kg.loader.files import SourceFile, discover
from kg.loader.load import load_store
from kg.sparql.backend import LocalBackend
from kg.sparql.named import get_query, rows_as_dicts

FIX = Path(__file__).resolve().parent / "data" / "shapes"


def test_organisation_ref_with_control_characters_is_404_not_500() -> None:
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        res = client.get("/api/organisations/a%00b")
    assert res.status_code == 404
    assert "unknown organisation" in res.json()["detail"]


def test_unsourced_facts_reports_a_node_without_a_quote() -> None:
    """The query must see the node it checks (a FILTER NOT EXISTS inside a UNION branch did not)."""
    bad = FIX / "invalid" / "ProvenanceShape--no-quote.ttl"
    files = [*discover(data=False), SourceFile(bad, ox.NamedNode("urn:test:bad"))]
    backend = LocalBackend(load_store(files=files))
    rows = rows_as_dicts(backend.select(get_query("unsourced-facts").text))
    assert {"node": "https://w3id.org/integration-kg/id/org/x", "problem": "no quote"} in rows


def test_unsourced_facts_reports_quotes_without_source_or_passage(tmp_path: Path) -> None:
    """Both quote checks, done in one pass, still report each problem (and both for one quote)."""
    ttl = tmp_path / "quotes.ttl"
    ttl.write_text(
        """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX ex: <https://example.org/>
ex:ok prov:wasDerivedFrom [ oa:hasSource ex:doc ; oa:hasSelector [ oa:exact "text" ] ] .
ex:nosource prov:wasDerivedFrom [ oa:hasSelector [ oa:exact "text" ] ] .
ex:nopassage prov:wasDerivedFrom [ oa:hasSource ex:doc ] .
ex:neither prov:wasDerivedFrom [ a oa:Annotation ] .
"""
    )
    files = [*discover(data=False), SourceFile(ttl, ox.NamedNode("urn:test:quotes"))]
    backend = LocalBackend(load_store(files=files))
    rows = rows_as_dicts(backend.select(get_query("unsourced-facts").text))
    got = {(r["node"].removeprefix("https://example.org/"), r["problem"]) for r in rows}
    assert got == {
        ("nosource", "quote without source"),
        ("nopassage", "quote without passage"),
        ("neither", "quote without source"),
        ("neither", "quote without passage"),
    }
