"""The text checks made before a query runs: SERVICE allow-list, nesting depth, linear time.

Regressions of issue 13: tokenizer misreads that hid a ``SERVICE`` clause, a prefixed-name
regex that backtracked quadratically, nesting deep enough to overflow Oxigraph's stack.
"""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from kg.exceptions import QueryError, ServiceRefusedError
from kg.sparql import text as sparql_text
from kg.sparql.backend import query_store

EVIL = "http://127.0.0.1:9/sparql"
OK = "http://127.0.0.1:8/sparql"

# Each hides SERVICE <EVIL> from a tokenizer that reads the first part differently from Oxigraph.
SLIPS = [
    # an IRI with a \u escape (Oxigraph decodes it) followed by a quote
    rf"SELECT * {{ <http://x/\u0041'> ?p ?o . SERVICE <{EVIL}> {{ ?s ?p ?o }} }} # '",
    # "<<" right after an operand is "<" then an IRI to Oxigraph
    f"SELECT * {{ ?a ?b ?c FILTER(?a <<http://x'>) SERVICE <{EVIL}> {{ ?s ?p ?o }} }} # '",
]


@pytest.mark.parametrize("query", SLIPS)
def test_service_slips_are_refused(query):
    store = ox.Store()
    try:
        list(store.query(query))
    except SyntaxError:  # pragma: no cover - the slip must be a valid query for the test
        pytest.fail("the slip is not valid SPARQL to Oxigraph")
    except OSError:
        pass  # Oxigraph tried to call the service: the query is real
    assert EVIL in sparql_text.service_targets(query)
    with pytest.raises(ServiceRefusedError, match="disabled"):
        sparql_text.check_service(query)
    with pytest.raises(ServiceRefusedError, match="allow-list"):
        sparql_text.check_service(query, (OK,))


def test_allow_list_accepts_only_written_out_listed_iris():
    sparql_text.check_service(f"SELECT * {{ SERVICE <{OK}> {{ ?s ?p ?o }} }}", (OK,))
    sparql_text.check_service(f"SELECT * {{ SERVICE SILENT <{OK}> {{ ?s ?p ?o }} }}", (OK,))
    escaped = OK.replace("/sparql", r"\u002Fsparql")  # the same IRI to Oxigraph
    sparql_text.check_service(f"SELECT * {{ SERVICE <{escaped}> {{ ?s ?p ?o }} }}", (OK,))
    refused = [
        f"SELECT * {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
        "SELECT * { SERVICE ?x { ?s ?p ?o } }",
        f"PREFIX s: <{OK}> SELECT * {{ SERVICE s: {{ ?s ?p ?o }} }}",  # prefixed: refused
        f'SELECT * {{ SERVICE <{OK}> {{ ?s ?p "service" }} }}',  # the word elsewhere
        f"SELECT * {{ SERVICE <{OK}> {{ ?s ?p ?o }} }} # Service",
        f"SELECT * {{ SERVICESILENT <{OK}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE <{OK}/../x> {{ ?s ?p ?o }} }}",
    ]
    for query in refused:
        with pytest.raises(ServiceRefusedError):
            sparql_text.check_service(query, (OK,))


def test_without_allow_list_the_word_is_fine_outside_clauses():
    sparql_text.check_service('SELECT * { ?s ?p "customer service" } # service')


def test_adversarial_text_is_lexed_in_linear_time():
    """80 KB of ``a.a.a.…`` took 54 s (quadratic); 400 KB must take well under 5 s now."""
    query = "SELECT * { ?s ?p ?o } # service\n" + "a." * 200_000
    t0 = time.perf_counter()
    sparql_text.check_service(query)
    sparql_text.check_nesting(query)
    assert time.perf_counter() - t0 < 5


def _nested(depth: int, opener: str = "{", closer: str = "}") -> str:
    return "SELECT * WHERE " + opener * depth + "?s ?p ?o" + closer * depth


def test_nesting_limit():
    limit = sparql_text.MAX_NESTING
    sparql_text.check_nesting(_nested(limit))
    with pytest.raises(QueryError, match=f"deeper than {limit}"):
        sparql_text.check_nesting(_nested(limit + 1))
    parens = "SELECT * { BIND(" + "(" * limit + "1" + ")" * limit + " AS ?x) }"
    with pytest.raises(QueryError, match="deeper"):
        sparql_text.check_nesting(parens)
    # brackets inside strings, IRIs and comments do not count
    quoted = 'SELECT * { ?s ?p "' + "{" * 500 + '" } # ' + "(" * 500
    sparql_text.check_nesting(quoted)


def test_query_store_refuses_deep_nesting_before_the_engine():
    """4,000 braces crashed Oxigraph (stack overflow); the check answers first."""
    with pytest.raises(QueryError, match="deeper"):
        query_store(ox.Store(), _nested(4000))
