"""The one check of typed literals: a lexical form its datatype does not allow stops the load.

Oxigraph keeps ill-typed literals as they are written (``"2020-13-45"^^xsd:date`` loads
silently), but its casts (``xsd:date()``, ...) fail on them, so one SPARQL scan over the store
finds every one. The integer subtypes have no cast function in SPARQL: their lexical form is
checked with a regex. (A well-formed integer of a subtype is stored by Oxigraph as
``xsd:integer``, so a range such as ``"-1"^^xsd:nonNegativeInteger`` is left to the shapes.)
:data:`CHECKS` is the list of datatypes and their tests, written once; the query is generated
from it. :func:`check_literals` scans a store (the loader, per file, beside the next file's
parse); :func:`check_quads` checks parsed quads that are not in a store (pySHACL's input).

Examples
--------
>>> import pyoxigraph as ox
>>> bad = ox.Literal("2019-02-30", datatype=ox.NamedNode(XSD + "date"))
>>> q = ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), bad)
>>> try:
...     check_quads([q], SourceFile(Path("a.ttl"), ox.NamedNode("http://x/g")))
... except LoadError as exc:
...     print(exc)
a.ttl: invalid xsd:date literal "2019-02-30"
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.exceptions import LoadError
from kg.loader.files import SourceFile
from kg.namespaces import XSD

__all__ = ["CHECKS", "check_literals", "check_quads"]

#: Datatype (local name in xsd:) → a SPARQL expression of ``?t`` (the lexical form) that is an
#: error, or unbound, exactly when the form is not allowed.
CHECKS: dict[str, str] = {
    "date": "xsd:date(?t)",
    "dateTime": "xsd:dateTime(?t)",
    "gYear": "xsd:gYear(?t)",
    "gYearMonth": "xsd:gYearMonth(?t)",
    "integer": "xsd:integer(?t)",
    "decimal": "xsd:decimal(?t)",
    "boolean": "xsd:boolean(?t)",
    "double": "xsd:double(?t)",
    "float": "xsd:double(?t)",
    "nonNegativeInteger": 'IF(REGEX(?t, "^([+]?[0-9]+|-0+)$"), 1, ?unbound)',
    "positiveInteger": 'IF(REGEX(?t, "^[+]?0*[1-9][0-9]*$"), 1, ?unbound)',
    "int": "IF(xsd:integer(?t) >= -2147483648 && xsd:integer(?t) <= 2147483647, 1, ?unbound)",
    "long": "xsd:integer(?t)",
}


def _query() -> str:
    # IF(?d = A, test_A, IF(?d = B, test_B, ... "ok")): COALESCE turns an error into "ILL".
    chain = '"ok"'
    for name, test in reversed(CHECKS.items()):
        chain = f"IF(?d = xsd:{name}, {test}, {chain})"
    types = ", ".join(f"xsd:{name}" for name in CHECKS)
    return f"""PREFIX xsd: <{XSD}>
SELECT ?g ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER(isLiteral(?o))
  BIND(DATATYPE(?o) AS ?d) BIND(STR(?o) AS ?t)
  FILTER(?d IN ({types}))
  FILTER(COALESCE({chain}, "ILL") = "ILL")
}} LIMIT 1
"""


_ILL_TYPED = _query()


def _line_of(path: Path, needle: str) -> int | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    idx = text.find(needle)
    return None if idx < 0 else text.count("\n", 0, idx) + 1


def check_literals(
    store: ox.Store, files: Iterable[SourceFile], graph: ox.NamedNode | None = None
) -> None:
    """Raise :class:`LoadError` (file and line) for the first ill-typed literal.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store to scan.
    files : iterable of SourceFile
        The files loaded into it, to name the file and line of a bad literal.
    graph : pyoxigraph.NamedNode, optional
        Scan only this named graph (one file); every named graph when omitted.
    """
    paths = {f.graph.value: f.path for f in files}
    bound = {ox.Variable("g"): graph} if graph is not None else None
    for row in store.query(_ILL_TYPED, substitutions=bound):
        lit = row["o"]
        g = graph if graph is not None else row["g"]
        path = paths.get(g.value)
        where = str(path) if path else g.value
        if path is not None:
            line = _line_of(path, f'"{lit.value}"')
            where = f"{path}:{line}" if line else str(path)
        short = lit.datatype.value.removeprefix(XSD)
        raise LoadError(f'{where}: invalid xsd:{short} literal "{lit.value}"')


def check_quads(quads: Iterable[ox.Quad], source: SourceFile) -> None:
    """Check parsed quads of one file with the same scan (in a throw-away in-memory store)."""
    typed = [
        ox.Quad(q.subject, q.predicate, q.object, source.graph)
        for q in quads
        if isinstance(q.object, ox.Literal) and q.object.datatype.value.removeprefix(XSD) in CHECKS
    ]
    if typed:
        scratch = ox.Store()
        scratch.extend(typed)
        check_literals(scratch, [source], source.graph)
