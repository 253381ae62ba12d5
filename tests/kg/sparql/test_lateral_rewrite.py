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
from kg.sparql.text import inject_values, tokenize, uses_lateral, without_lateral

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


def _normalised_rows(backend, q, text) -> Counter:
    from kg.sparql.named import normalise_result

    res = normalise_result(backend.select(text, bind_params(q, q.example)), text, q)
    return Counter(tuple(sorted((k, str(v)) for k, v in r.items())) for r in res.rows)


@pytest.mark.parametrize("name", LATERAL_QUERIES)
def test_both_dialects_give_the_same_answers(backend, name):
    """The LATERAL text (Oxigraph) and its SPARQL 1.1 rewrite (other stores): the same rows."""
    q = load_queries()[name]
    lateral = _normalised_rows(backend, q, q.text)
    plain = _normalised_rows(backend, q, without_lateral(q.text))
    assert lateral == plain
    assert uses_lateral(q.text) and not uses_lateral(without_lateral(q.text))


def test_dialect_is_chosen_by_the_probe(backend):
    from kg.sparql.backend import LATERAL_PROBE, supports_lateral
    from kg.sparql.named import query_text

    class NoLateral:
        lateral = None

        def ask(self, query, bindings=None, timeout=None):
            from kg.exceptions import QueryError

            assert query == LATERAL_PROBE
            raise QueryError("syntax error at 'LATERAL'")

    store = NoLateral()
    q = load_queries()[LATERAL_QUERIES[0]]
    assert supports_lateral(backend) and query_text(q.text, backend=backend) == q.text
    assert not supports_lateral(store) and store.lateral is False
    assert query_text(q.text, backend=store) == without_lateral(q.text)
