"""The benchmark's SPARQL 1.1 rewrite of LATERAL gives rdflib the same answers as Oxigraph.

Independent implementation: rdflib's own SPARQL engine evaluates the rewritten text over the
shipped data; Oxigraph evaluates the named query as written. Row counts and the first
column's values must agree (SAMPLE and GROUP_CONCAT may legitimately pick or order values
differently, so those columns are not compared).
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
import rdflib

from kg.loader.files import discover
from kg.loader.load import DERIVED_GRAPH, load_store
from kg.sparql.named import bind_params, load_queries
from kg.sparql.text import inject_values, tokenize, without_lateral

# rdflib's own Dataset internals warn about its deprecated default_context on every query
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context:DeprecationWarning")

LATERAL_QUERIES = sorted(
    name
    for name, q in load_queries().items()
    if any(t.kind == "word" and t.text.upper() == "LATERAL" for t in tokenize(q.text))
)


@pytest.fixture(scope="module")
def engines():
    store = load_store()
    ds = rdflib.Dataset(default_union=True)
    for f in discover():
        ds.graph(rdflib.URIRef(f.graph.value)).parse(f.path, format="turtle")
    nt = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=DERIVED_GRAPH)
    ds.graph(rdflib.URIRef(DERIVED_GRAPH.value)).parse(data=nt.decode(), format="nt")
    return store, ds


def test_some_queries_use_lateral():
    assert len(LATERAL_QUERIES) >= 10


@pytest.mark.parametrize("name", LATERAL_QUERIES)
def test_rdflib_agrees_with_oxigraph(engines, name):
    store, ds = engines
    q = load_queries()[name]
    text = inject_values(q.text, bind_params(q, q.example))
    ours = list(store.query(text, use_default_graph_as_union=True))
    theirs = list(ds.query(without_lateral(text)))
    assert len(ours) == len(theirs)
    ox_first = Counter(str(r[0].value) if r[0] is not None else None for r in ours)
    rdf_first = Counter(str(r[0]) if r[0] is not None else None for r in theirs)
    assert ox_first == rdf_first
