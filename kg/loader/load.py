"""Load the ontology, code lists and curated data into an embedded Oxigraph store.

Conventions
-----------
- Each Turtle file becomes one named graph whose IRI derives from its path
  (``https://w3id.org/integration-kg/graph/<dir>/<file>``), so every triple keeps the file it
  came from; queries see the union of all graphs.
- :func:`load_store` fills a *new* store with Oxigraph's own loader (parsing and indexing
  stay in Rust: no Python object per triple; the bulk loader on disk, one transaction per file
  in memory), checking each file's typed literals with a SPARQL query while the next file
  parses. A bad file raises :class:`~kg.exceptions.LoadError` naming the file and line, and the
  half-filled new store is dropped: the caller's store is never touched (nothing half loaded).
- A triple stated in several files is kept once, in the graph whose IRI sorts first
  (see :func:`remove_repeated`).
- Derived shortcuts (``mi:startYear``, ``mi:providedFundingTo``, ``org:memberOf``...) are
  materialised by CONSTRUCT queries into the ``…/graph/derived`` named graph.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Lock

import pyoxigraph as ox

from kg.exceptions import LoadError
from kg.loader.files import SourceFile, discover, regular_file
from kg.loader.literals import check_literals, check_quads
from kg.namespaces import BASE_IRI, DERIVED_GRAPH_IRI
from kg.settings import Settings, get_settings

__all__ = [
    "DERIVED_GRAPH",
    "derive",
    "load_file",
    "load_store",
    "parse_file",
    "remove_repeated",
]

DERIVED_GRAPH = ox.NamedNode(DERIVED_GRAPH_IRI)


def parse_file(path: Path, graph: ox.NamedNode) -> list[ox.Quad]:
    """Parse one Turtle file into quads of ``graph``, raising :class:`LoadError` with its line."""
    try:
        data = regular_file(path).read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    try:
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(input=data, format=ox.RdfFormat.TURTLE, base_iri=BASE_IRI)
        ]
    except MemoryError as exc:
        raise LoadError(_too_long(path, exc)) from None
    except SyntaxError as exc:
        msg = re.sub(r"^Parser error (at|between) .*?: ", "", str(exc))
        raise LoadError(f"{path}:{exc.lineno}: Turtle syntax error: {msg}") from exc
    check_quads(quads, SourceFile(path, graph))
    return quads


# Each rule ends with FILTER NOT EXISTS { its template }: a triple already stated in the data
# (or derived by an earlier rule) is not derived again, the same rule as remove_repeated().
_DERIVE = [
    # Years of periods (awards, memberships, partnerships, projects) for time slicing.
    """
    PREFIX mi: <https://w3id.org/integration-kg/ontology#>
    PREFIX time: <http://www.w3.org/2006/time#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX org: <http://www.w3.org/ns/org#>
    CONSTRUCT { ?n ?yp ?year }
    WHERE {
      ?n dcterms:temporal|org:memberDuring ?i .
      VALUES (?edge ?yp) { EDGE }
      ?i ?edge ?inst .
      ?inst time:inXSDgYear|time:inXSDDate|time:inXSDgYearMonth|time:inXSDDateTime ?v .
      BIND(xsd:integer(SUBSTR(STR(?v), 1, 4)) AS ?year)
      FILTER NOT EXISTS { ?n ?yp ?year }
    }
    """,
    """
    PREFIX mi: <https://w3id.org/integration-kg/ontology#>
    PREFIX schema: <https://schema.org/>
    CONSTRUCT { ?n ?yp ?year }
    WHERE {
      VALUES (?p ?yp) { (schema:startDate mi:startYear) (schema:endDate mi:endYear) }
      ?n ?p ?v .
      FILTER NOT EXISTS { ?n ?yp ?any }
      BIND(xsd:integer(SUBSTR(STR(?v), 1, 4)) AS ?year)
    }
    """,
    """
    PREFIX mi: <https://w3id.org/integration-kg/ontology#>
    PREFIX schema: <https://schema.org/>
    CONSTRUCT { ?f mi:providedFundingTo ?r }
    WHERE {
      ?a a mi:FundingAward ; schema:funder ?f ; mi:recipient ?r .
      FILTER NOT EXISTS { ?f mi:providedFundingTo ?r }
    }
    """,
    """
    PREFIX mi: <https://w3id.org/integration-kg/ontology#>
    CONSTRUCT { ?a mi:partnerOf ?b }
    WHERE {
      ?p a mi:Partnership ; mi:party ?a, ?b . FILTER(?a != ?b)
      FILTER NOT EXISTS { ?a mi:partnerOf ?b }
    }
    """,
    """
    PREFIX org: <http://www.w3.org/ns/org#>
    CONSTRUCT { ?m org:memberOf ?o }
    WHERE {
      ?x a org:Membership ; org:member ?m ; org:organization ?o .
      FILTER NOT EXISTS { ?m org:memberOf ?o }
    }
    """,
    """
    PREFIX mi: <https://w3id.org/integration-kg/ontology#>
    PREFIX oa: <http://www.w3.org/ns/oa#>
    PREFIX level: <https://w3id.org/integration-kg/vocab/level/>
    CONSTRUCT { ?o mi:hasPosition ?p }
    WHERE {
      ?a a mi:PositionAssessment ; oa:hasTarget ?o ; oa:hasBody ?p ;
         mi:assessmentLevel level:assessed-organisation .
      FILTER NOT EXISTS { ?a mi:negated true }
      FILTER NOT EXISTS { ?o mi:hasPosition ?p }
    }
    """,
]


_PREFIX = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
# Rules in one stage do not read each other's output and run side by side; the years of
# period-less nodes (schema:startDate) wait for the years of periods. The period rule, the
# costliest, is split in two halves (beginnings and ends) to share the work.
_PERIOD_HALVES = ["(time:hasBeginning mi:startYear)", "(time:hasEnd mi:endYear)"]
_DERIVE_STAGES = [
    [_PREFIX + _DERIVE[0].replace("EDGE", h) for h in _PERIOD_HALVES]
    + [_PREFIX + q for q in _DERIVE[2:]],
    [_PREFIX + _DERIVE[1]],
]


def derive(store: ox.Store, *, bulk: bool = False) -> None:
    """Materialise the derived shortcuts into the derived named graph (idempotent).

    The rules are CONSTRUCT queries over the union of all named graphs (an update's WHERE would
    only see the empty default graph). Each result is serialised and loaded by Oxigraph itself,
    so no Python object is made per derived triple. Rules that do not read each other's output
    run in two threads (Oxigraph evaluates without the GIL); writes are serialised. A triple
    already stated in the data is not derived again (same rule as :func:`remove_repeated`).

    Parameters
    ----------
    store : pyoxigraph.Store
        The store to complete.
    bulk : bool
        Write with Oxigraph's bulk loader (on-disk stores) rather than one transaction per
        rule (faster in memory).
    """
    if DERIVED_GRAPH in set(store.named_graphs()):
        store.remove_graph(DERIVED_GRAPH)
    write = Lock()

    def run(rule: str) -> None:
        triples = store.query(rule, use_default_graph_as_union=True)
        data = triples.serialize(format=ox.RdfFormat.N_TRIPLES)
        if data:
            with write:
                _insert(
                    store, bulk, input=data, format=ox.RdfFormat.N_TRIPLES, to_graph=DERIVED_GRAPH
                )

    with ThreadPoolExecutor(max_workers=2) as pool:
        for stage in _DERIVE_STAGES:
            for done in [pool.submit(run, rule) for rule in stage]:
                done.result()


def _insert(store: ox.Store, bulk: bool, **kwargs: object) -> None:
    # Oxigraph's bulk loader writes sorted runs, which pays off on disk (RocksDB); for the
    # in-memory store a plain transactional load is about 25 % faster (benchmarks/README.md).
    (store.bulk_load if bulk else store.load)(**kwargs)  # type: ignore[arg-type]


def _too_long(path: Path, exc: MemoryError) -> str:
    # Oxigraph's Turtle parser holds one token (a literal, an IRI) in a 16 MB buffer.
    return f"{path}: a literal or IRI is longer than the Turtle parser accepts ({exc})"


def load_file(store: ox.Store, f: SourceFile, *, bulk: bool = False) -> None:
    """Load one Turtle file into its named graph with Oxigraph's loader.

    ``bulk`` selects Oxigraph's bulk loader (for on-disk stores) instead of one transaction.

    Raises
    ------
    LoadError
        The file cannot be read or is not valid Turtle (the message names file and line).
    """
    try:
        _insert(
            store,
            bulk,
            path=str(f.path),
            format=ox.RdfFormat.TURTLE,
            base_iri=BASE_IRI,
            to_graph=f.graph,
        )
    except OSError as exc:
        raise LoadError(f"{f.path}: cannot read file ({exc.strerror or exc})") from exc
    except MemoryError as exc:
        raise LoadError(_too_long(f.path, exc)) from None
    except SyntaxError as exc:
        msg = re.sub(r"^Parser error (at|between) .*?: ", "", str(exc))
        raise LoadError(f"{f.path}:{exc.lineno}: Turtle syntax error: {msg}") from exc


_REPEATED = """
DELETE { GRAPH ?later { ?s ?p ?o } }
WHERE { GRAPH ?later { ?s ?p ?o } GRAPH ?first { ?s ?p ?o } FILTER(STR(?first) < STR(?later)) }
"""


def remove_repeated(store: ox.Store) -> None:
    """Keep a triple stated in several files once, in the graph whose IRI sorts first.

    Queries see the union of the named graphs, and SPARQL's union is a multiset: a repeated
    triple (a shared node's label restated where it is used) would count twice in sums and
    joins.
    """
    store.update(_REPEATED)


# A shared triple has a shared subject: the file's distinct subjects are looked up in the other
# graphs (one walk of each subject's quads) rather than each of its quads (a third faster at 1M).
# The graph is written into the text: pyoxigraph's substitutions do not reach into a sub-select.
_HAS_REPEAT = """ASK {{
  {{ SELECT DISTINCT ?s WHERE {{ GRAPH {g} {{ ?s ?p0 ?o0 }} }} }}
  GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g})
  GRAPH {g} {{ ?s ?p ?o }}
}}"""


def _check_graph(store: ox.Store, files: list[SourceFile], f: SourceFile) -> bool:
    """Check one loaded file's literals; say whether it shares a triple with another graph."""
    check_literals(store, files, f.graph)
    return bool(store.query(_HAS_REPEAT.format(g=f.graph)))  # str(NamedNode) is "<iri>", escaped


def load_store(
    settings: Settings | None = None,
    *,
    files: list[SourceFile] | None = None,
    path: Path | None = None,
) -> ox.Store:
    """Load every file and return a store holding ontology, vocabularies, data and derivations.

    Parameters
    ----------
    settings : Settings, optional
        Where the files are; defaults to :func:`kg.settings.get_settings`.
    files : list of SourceFile, optional
        Load these files instead of discovering them.
    path : Path, optional
        Persist the store on disk there, replacing what is there once everything has loaded (a
        failure leaves it as it was); in memory when omitted.

    Raises
    ------
    LoadError
        A file cannot be read or parsed, or holds an ill-typed literal; the message names the
        file and line. The new store is dropped.
    """
    s = settings or get_settings()
    todo = files if files is not None else discover(s)
    if path is None:
        return _fill(ox.Store(), todo, bulk=False)
    # Into a sibling folder first: a failure leaves whatever is at ``path`` as it was.
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{path.name}.loading-", dir=path.parent))
    try:
        store = _fill(ox.Store(str(work)), todo, bulk=True)
        store.flush()
        del store  # closed before its folder moves
        if path.exists():
            shutil.rmtree(path)
        os.rename(work, path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ox.Store(str(path))


def _fill(store: ox.Store, files: list[SourceFile], *, bulk: bool) -> ox.Store:
    # Pipelined: while Oxigraph parses file k+1 (one core, GIL released), a second thread
    # checks file k's literals and asks whether it shares a triple with another graph, reading
    # a snapshot that holds at least every file loaded before k. The later of two files
    # sharing a triple therefore always sees it, and one "any repeat?" answer decides the
    # whole-store removal, skipped when nothing repeats (the usual case at scale).
    with ThreadPoolExecutor(max_workers=1) as checker:
        checks = []
        try:
            for f in files:
                load_file(store, f, bulk=bulk)
                checks.append(checker.submit(_check_graph, store, files, f))
        except LoadError:
            for c in checks:
                c.cancel()
            raise
        # Every file is in: the derivation starts while the last checks finish (it reads its own
        # snapshot, and an error found meanwhile still discards the whole store).
        derive(store, bulk=bulk)
        repeats = [c.result() for c in checks]  # the first ill-typed literal, in file order
    if any(repeats):
        # Derived triples are never stated in a data graph (each rule's FILTER NOT EXISTS), so
        # the removal cannot touch the derived graph.
        remove_repeated(store)
    return store
