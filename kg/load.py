"""Load the ontology, code lists and curated data into an embedded Oxigraph store.

Conventions
-----------
- Each Turtle file becomes one named graph whose IRI derives from its path
  (``https://w3id.org/integration-kg/graph/<dir>/<file>``), so every triple keeps the file it
  came from; queries see the union of all graphs.
- Files are parsed completely (syntax, prefixes, typed literals) before anything reaches the
  store: a bad file raises :class:`~kg.exceptions.LoadError` naming the file and line, and
  the store is left as it was (nothing half loaded).
- Derived shortcuts (``mi:startYear``, ``mi:providedFundingTo``, ``org:memberOf``...) are
  materialised by SPARQL updates into the ``…/graph/derived`` named graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal as RdfLiteral
from rdflib import URIRef

from kg.exceptions import LoadError
from kg.settings import BASE_IRI, Settings, get_settings

GRAPH_BASE = BASE_IRI + "graph/"
DERIVED_GRAPH = ox.NamedNode(GRAPH_BASE + "derived")
XSD = "http://www.w3.org/2001/XMLSchema#"

# Datatypes whose lexical forms we check: the ones curators type by hand. Oxigraph's parser
# keeps ill-typed literals silently, so without this check "2020-13-45"^^xsd:date would load.
_CHECKED_DATATYPES = {
    XSD + t
    for t in (
        "date",
        "dateTime",
        "gYear",
        "gYearMonth",
        "integer",
        "decimal",
        "double",
        "float",
        "boolean",
        "nonNegativeInteger",
        "positiveInteger",
        "int",
        "long",
    )
}


@dataclass(frozen=True)
class SourceFile:
    """A Turtle file and the named graph it is loaded into."""

    path: Path
    graph: ox.NamedNode


def graph_iri_for(path: Path, root: Path) -> ox.NamedNode:
    """Return the named-graph IRI of ``path`` relative to the parent of ``root``."""
    try:
        rel = path.resolve().relative_to(root.resolve().parent)
    except ValueError:
        rel = Path(path.name)
    return ox.NamedNode(GRAPH_BASE + rel.as_posix())


def discover(settings: Settings | None = None, *, data: bool = True) -> list[SourceFile]:
    """List the ontology, vocabulary and (optionally) data files in load order."""
    s = settings or get_settings()
    files: list[SourceFile] = []
    onto = sorted(p for p in s.ontology_dir.glob("*.ttl")) + sorted(
        (s.ontology_dir / "vocab").glob("*.ttl")
    )
    files += [SourceFile(p, graph_iri_for(p, s.ontology_dir)) for p in onto]
    if data:
        if not s.data_dir.is_dir():
            raise LoadError(f"{s.data_dir}: data folder not found (set KG_DATA_DIR)")
        files += [
            SourceFile(p, graph_iri_for(p, s.data_dir)) for p in sorted(s.data_dir.rglob("*.ttl"))
        ]
    return files


def _line_of(text: str, needle: str) -> int | None:
    idx = text.find(needle)
    return None if idx < 0 else text.count("\n", 0, idx) + 1


# Lexical forms of the common datatypes, checked with a regex first: building an rdflib Literal
# for each of a million values costs seconds, the regex microseconds. rdflib decides the rest
# (and the day-of-month ranges that a regex does not).
_FAST_OK = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD + "boolean": re.compile(r"true|false|1|0"),
    XSD + "gYear": re.compile(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?"),
    XSD + "gYearMonth": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])(Z|[+-]\d{2}:\d{2})?"),
    XSD + "date": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])(Z|[+-]\d{2}:\d{2})?"),
}


def _check_literal(term: ox.Literal, path: Path, text: str) -> None:
    dt = term.datatype.value
    if dt not in _CHECKED_DATATYPES:
        return
    fast = _FAST_OK.get(dt)
    if fast is not None and fast.fullmatch(term.value):
        return
    lit = RdfLiteral(term.value, datatype=URIRef(dt))
    if lit.ill_typed:
        line = _line_of(text, f'"{term.value}"')
        where = f"{path}:{line}" if line else str(path)
        short = dt.removeprefix(XSD)
        raise LoadError(f'{where}: invalid xsd:{short} literal "{term.value}"')


def parse_file(path: Path, graph: ox.NamedNode) -> list[ox.Quad]:
    """Parse one Turtle file into quads of ``graph``, raising :class:`LoadError` with its line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot read file ({exc.strerror})") from exc
    try:
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(input=data, format=ox.RdfFormat.TURTLE, base_iri=BASE_IRI)
        ]
    except SyntaxError as exc:
        msg = re.sub(r"^Parser error (at|between) .*?: ", "", str(exc))
        raise LoadError(f"{path}:{exc.lineno}: Turtle syntax error: {msg}") from exc
    text = data.decode("utf-8", errors="replace")
    for q in quads:
        if isinstance(q.object, ox.Literal):
            _check_literal(q.object, path, text)
    return quads


def parse_all(files: Iterable[SourceFile]) -> Iterator[ox.Quad]:
    """Parse every file first, then yield all quads: an error stops before any is yielded.

    A triple stated in several files (a shared node's label repeated where it is used) is kept
    once, in the first file's graph: queries see the union of the named graphs, and SPARQL's
    union is a multiset, so a repeated triple would otherwise count twice in sums and joins.
    """
    parsed = [parse_file(f.path, f.graph) for f in files]
    seen: set[ox.Triple] = set()
    for quads in parsed:
        for q in quads:
            t = q.triple
            if t not in seen:
                seen.add(t)
                yield q


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
      VALUES (?edge ?yp) { (time:hasBeginning mi:startYear) (time:hasEnd mi:endYear) }
      ?i ?edge ?inst .
      ?inst time:inXSDgYear|time:inXSDDate|time:inXSDgYearMonth|time:inXSDDateTime ?v .
      BIND(xsd:integer(SUBSTR(STR(?v), 1, 4)) AS ?year)
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
    WHERE { ?a a mi:FundingAward ; schema:funder ?f ; mi:recipient ?r . }
    """,
    """
    PREFIX mi: <https://w3id.org/integration-kg/ontology#>
    CONSTRUCT { ?a mi:partnerOf ?b }
    WHERE { ?p a mi:Partnership ; mi:party ?a, ?b . FILTER(?a != ?b) }
    """,
    """
    PREFIX org: <http://www.w3.org/ns/org#>
    CONSTRUCT { ?m org:memberOf ?o }
    WHERE { ?x a org:Membership ; org:member ?m ; org:organization ?o . }
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
    }
    """,
]


def derive(store: ox.Store) -> None:
    """Materialise the derived shortcuts into the derived named graph (idempotent).

    The rules are CONSTRUCT queries over the union of all named graphs (an update's WHERE would
    only see the empty default graph); their triples are written to :data:`DERIVED_GRAPH`.
    """
    if DERIVED_GRAPH in set(store.named_graphs()):
        store.remove_graph(DERIVED_GRAPH)
    quads: dict[ox.Triple, ox.Quad] = {}
    for q in _DERIVE:
        q = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n" + q
        for t in store.query(q, use_default_graph_as_union=True):
            # Same rule as parse_all: a triple already stated in the data is not added again.
            if next(store.quads_for_pattern(t.subject, t.predicate, t.object), None) is None:
                quads[t] = ox.Quad(t.subject, t.predicate, t.object, DERIVED_GRAPH)
    store.extend(quads.values())


def load_store(
    settings: Settings | None = None,
    *,
    files: list[SourceFile] | None = None,
    path: Path | None = None,
) -> ox.Store:
    """Parse every file and return a store holding ontology, vocabularies, data and derivations.

    Parameters
    ----------
    settings : Settings, optional
        Where the files are; defaults to :func:`kg.settings.get_settings`.
    files : list of SourceFile, optional
        Load these files instead of discovering them.
    path : Path, optional
        Persist the store on disk there (a new, empty folder); in memory when omitted.

    Raises
    ------
    LoadError
        A file cannot be read or parsed; the message names the file and line.
    """
    s = settings or get_settings()
    todo = files if files is not None else discover(s)
    quads = list(parse_all(todo))  # all files parsed before the store is touched
    store = ox.Store(str(path)) if path is not None else ox.Store()
    store.bulk_extend(quads)
    derive(store)
    if path is not None:
        store.flush()
    return store
