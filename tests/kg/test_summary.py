"""`kg info` counts, checked against an independent count made with rdflib over the Turtle files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Namespace, URIRef

from kg.summary import graph_info
from tests.support import shipped_backend

ROOT = Path(__file__).resolve().parents[2]
ORG = Namespace("http://www.w3.org/ns/org#")
MI = Namespace("https://w3id.org/integration-kg/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


def _independent_counts() -> tuple[Counter, Counter]:
    g = Graph()
    for f in [
        *ROOT.glob("ontology/*.ttl"),
        *ROOT.glob("ontology/vocab/*.ttl"),
        *ROOT.glob("data/ttl/**/*.ttl"),
    ]:
        g.parse(f, format="turtle")
    org_classes = set(g.transitive_subjects(RDFS.subClassOf, ORG.Organization))
    orgs = {s for c in org_classes for s in g.subjects(RDF.type, c) if isinstance(s, URIRef)}
    by_country: Counter = Counter()
    by_country_kind: Counter = Counter()
    for o in orgs:
        codes = {str(g.value(c, SKOS.notation)) for c in g.objects(o, MI.country)} or {"-"}
        kinds = {str(k).rsplit("/", 1)[-1] for k in g.objects(o, ORG.classification)}
        for c in codes:
            by_country[c] += 1
            for k in kinds:
                by_country_kind[(c, k)] += 1
    return by_country, by_country_kind


def test_info_by_country_matches_an_independent_count() -> None:
    by_country, by_country_kind = _independent_counts()
    info = graph_info(shipped_backend())
    assert info.by_country == dict(by_country)
    assert info.by_country_kind == dict(by_country_kind)
    for cc in ("LU", "CZ", "DK", "FI", "GR", "IT", "CH", "GB"):
        assert info.by_country[cc] > 0
