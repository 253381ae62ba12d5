"""Compile SHACL Core shapes to whole-graph SPARQL SELECT queries run by Oxigraph.

Why hand-written
----------------
pySHACL checks node by node in Python: about 5 s per 100k triples and more than 300 s at a
million (``benchmarks/results/validate-1M.md``). A SPARQL query over the whole graph lets
Oxigraph's indexes do that work in seconds. No maintained library compiles SHACL to SPARQL for
Oxigraph (searched PyPI, docs and issue trackers, 2026-12): ``SHACL2SPARQLpy`` is a research
prototype for a remote endpoint that "is not a fully functional" SHACL (it assumes every shape
has a target); ``shacl-path-query-generator`` translates property paths only; ``pyshacl-turbo``
and ``pyshifty`` are separate (Rust) engines, not queries over our store; pySHACL 0.40 accepts a
``pyoxigraph.Store`` but still validates node by node; Oxigraph's own SHACL/ShEx issue
(oxigraph#55) is open with no plan. Hence this small compiler of the SHACL Core components.

What it does
------------
:func:`compile_shapes` reads a shapes graph (rdflib) and returns :class:`CompiledShapes`: one
or a few SELECT queries per shape reached from a target, each answering ``?this`` (the focus
node) and, where SHACL reports one, ``?value``. :func:`run` expands the class placeholders
(``rdfs:subClassOf`` closure read from the store, so the ontology loaded with the data counts),
runs the queries and returns :class:`Result` rows: focus node, result path, value, source
shape, constraint component, severity, message. Shapes using a component it cannot compile are
listed in :attr:`CompiledShapes.unsupported` (shape, component) and their whole target-bearing
(root) shape is left out (:attr:`CompiledShapes.skipped_roots`), so that a caller can hand
those to pySHACL. A nested shape (``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``,
``sh:qualifiedValueShape``) is compiled to a boolean SPARQL expression "``?x`` conforms"
(the conjunction of ``NOT EXISTS`` of its violations); recursive shapes are unsupported.

Component ↔ SPARQL (``P`` the property path, ``?v`` a value node, ``T`` the target pattern)
==================================  =====================================================
SHACL                               SPARQL
==================================  =====================================================
``sh:targetClass C``                ``?this a ?t . VALUES ?t { C and its subclasses }``
implicit class target               the same, for a shape that is an ``rdfs:Class``
``sh:targetNode n``                 ``VALUES ?this { n }``
``sh:targetSubjectsOf p``           ``?this p ?o``
``sh:targetObjectsOf p``            ``?s p ?this``
property paths                      sequences and inverses as triple patterns, the rest as
                                    SPARQL paths (``|``, ``*``, ``+``, ``?``)
value-type components               one query per shape: ``T ?this P ?v`` and
                                    ``BIND(<violation> AS ?k_i)``, ``FILTER(?k_0 || ...)``
``sh:class C``                      ``NOT EXISTS { ?v a ?c . VALUES ?c { C, subclasses } }``
``sh:datatype D``                   ``!(sameTerm(DATATYPE(?v), D) && D(STR(?v)) casts)``
``sh:nodeKind``                     ``!isIRI(?v)``, ``!isBlank(?v)``, ``!isLiteral(?v)``...
``sh:in``                           ``!(sameTerm(?v, a) || ...)`` (``NOT IN`` for IRIs)
``sh:pattern``, ``sh:flags``        ``isBlank(?v) || !REGEX(STR(?v), pattern, flags)``
``sh:minLength`` / ``maxLength``    ``isBlank(?v) || STRLEN(STR(?v)) < n`` / ``> n``
``sh:minInclusive`` etc.            ``!COALESCE(?v >= m, false)`` (incomparable fails)
``sh:languageIn``                   ``!isLiteral(?v) || !(langMatches(LANG(?v), t) ...)``
``sh:node S`` / ``sh:not S``        ``!conforms(S, ?v)`` / ``conforms(S, ?v)``
``sh:and`` / ``sh:or``              ``!(c_1 && c_2 ...)`` / ``!(c_1 || c_2 ...)``
``sh:xone``                         ``IF(c_1, 1, 0) + IF(c_2, 1, 0) ... != 1``
``sh:minCount`` / ``sh:maxCount``   ``GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < n)``;
                                    ``minCount 1`` alone: ``FILTER NOT EXISTS { ?this P ?v }``;
                                    nested: ``EXISTS`` of n pairwise distinct values
``sh:qualifiedValueShape``          the same count over values that conform (and, with
                                    ``qualifiedValueShapesDisjoint``, to no sibling shape)
``sh:hasValue v``                   ``NOT EXISTS { ?this P v }`` (node: ``!sameTerm``)
``sh:uniqueLang``                   two distinct values with the same non-empty language
``sh:equals p``                     values of ``P`` not of ``p``, and the converse
``sh:disjoint p``                   ``?this P ?v . ?this p ?v``
``sh:lessThan(OrEquals) p``         ``?this P ?v . ?this p ?w FILTER(!COALESCE(?v < ?w))``
``sh:closed``                       ``?v ?p ?o FILTER(?p NOT IN (declared, ignored))``
``sh:property``                     the property shape's queries, its target being the
                                    parent's focus nodes (or value nodes)
``sh:sparql`` (SELECT)              the shape's query with ``T`` first in its ``WHERE``;
                                    ``$this``, ``$PATH`` substituted, ``{?var}`` in messages
``sh:deactivated``                  the shape (or constraint) is skipped
``sh:severity``, ``sh:message``     ``Result.severity``, ``Result.message``
==================================  =====================================================

Performance: Oxigraph (0.5) plans the body of an ``EXISTS`` with more than one triple pattern
without the outer binding, evaluating it over the whole graph for every row (minutes at 1M
triples). Sequence and inverse paths are therefore written as triple patterns, a lone
``sh:minCount 1`` on a longer path as ``OPTIONAL``/``!BOUND``; nested shapes (``sh:node``,
``sh:or``...) over sequence paths and nested counts still use ``EXISTS`` and can be slow on
large graphs (the one in the shipped shapes, ``PartnershipShape``'s nested ``sh:minCount 2`` on
one predicate, takes well under a second at 1M triples).

Known differences: a focus node that does not occur in the data has no zero-length path value
(``sh:zeroOrMorePath``, ``sh:zeroOrOnePath``) in Oxigraph. Oxigraph stores a well-formed
``"12"^^xsd:byte`` (``int``, ``short``...) as ``"12"^^xsd:integer``, so ``sh:datatype xsd:byte``
accepts an ``xsd:integer`` in the type's range (a genuine one included) and rejects the others.
Literals are compared in Oxigraph's canonical form (``"4.0"^^xsd:decimal`` is ``"4"``).
SPARQL constraints get ``$this`` by a join with the target, not by pre-binding: a query that
uses ``$this`` before a triple pattern binds it (in a ``FILTER`` of its own group, a ``UNION``
branch, a sub-select) sees it unbound. ``$currentShape``, ``$shapesGraph``, ``sh:ask``
validators and constraint components declared with ``sh:parameter`` are unsupported.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

__all__ = [
    "SH",
    "UNSUPPORTED",
    "Check",
    "CompiledQuery",
    "CompiledShapes",
    "Result",
    "compile_shapes",
    "path_text",
    "run",
]

SH = Namespace("http://www.w3.org/ns/shacl#")
#: Reasons, besides constraint components, why a shape is not compiled (``recursiveShape``...).
UNSUPPORTED = Namespace("urn:x-kg:shacl:unsupported#")
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = str(RDF.type)
SUBCLASS = str(RDFS.subClassOf)
OWL_IMPORTS = URIRef("http://www.w3.org/2002/07/owl#imports")
_BAD = "<urn:x-kg:shacl:bad>"
_CLASS_RE = re.compile(r"\u27e8CLASS:([^\u27e9]+)\u27e9")
# Datatypes whose lexical form Oxigraph can check with a cast function.
_CASTABLE = {
    XSD + t
    for t in ("integer", "decimal", "float", "double", "boolean", "date", "dateTime", "time")
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Shape parameters that are not constraint components of their own.
_NOT_COMPONENTS = {
    RDF.type,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.path,
    SH.flags,
    SH.ignoredProperties,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.declare,
    SH.prefixes,
}
_VALUE_COMPONENTS = {
    SH["class"]: "ClassConstraintComponent",
    SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent",
    SH["in"]: "InConstraintComponent",
    SH.pattern: "PatternConstraintComponent",
    SH.minLength: "MinLengthConstraintComponent",
    SH.maxLength: "MaxLengthConstraintComponent",
    SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent",
    SH.node: "NodeConstraintComponent",
    SH["not"]: "NotConstraintComponent",
    SH["and"]: "AndConstraintComponent",
    SH["or"]: "OrConstraintComponent",
    SH.xone: "XoneConstraintComponent",
}
_OTHER_COMPONENTS = {
    SH.minCount: "MinCountConstraintComponent",
    SH.maxCount: "MaxCountConstraintComponent",
    SH.hasValue: "HasValueConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent",
    SH.equals: "EqualsConstraintComponent",
    SH.disjoint: "DisjointConstraintComponent",
    SH.lessThan: "LessThanConstraintComponent",
    SH.lessThanOrEquals: "LessThanOrEqualsConstraintComponent",
    SH.closed: "ClosedConstraintComponent",
    SH.qualifiedValueShape: "QualifiedValueShape",  # two components, see _qualified
    SH.property: "PropertyConstraintComponent",
    SH.sparql: "SPARQLConstraintComponent",
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}


# Integer-derived datatypes and their ranges: Oxigraph stores a well-formed "12"^^xsd:byte as
# "12"^^xsd:integer, so sh:datatype accepts xsd:integer values in the range (and rejects others).
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    XSD + "byte": (-(2**7), 2**7 - 1),
    XSD + "short": (-(2**15), 2**15 - 1),
    XSD + "int": (-(2**31), 2**31 - 1),
    XSD + "long": (-(2**63), 2**63 - 1),
    XSD + "unsignedByte": (0, 2**8 - 1),
    XSD + "unsignedShort": (0, 2**16 - 1),
    XSD + "unsignedInt": (0, 2**32 - 1),
    XSD + "unsignedLong": (0, 2**64 - 1),
    XSD + "nonNegativeInteger": (0, None),
    XSD + "positiveInteger": (1, None),
    XSD + "nonPositiveInteger": (None, 0),
    XSD + "negativeInteger": (None, -1),
}


def _true(node: Node) -> bool:
    """``node`` is the boolean true (``"1"^^xsd:boolean`` does not count, as in the spec)."""
    return isinstance(node, Literal) and str(node) == "true"


class _UnsupportedError(Exception):
    """``shape`` uses ``component`` (an IRI, a local name in ``sh:`` or an UNSUPPORTED reason)."""

    def __init__(self, shape: Node, component: str) -> None:
        super().__init__(f"{shape}: {component}")
        self.shape = shape
        if component.startswith(("http:", "https:", "urn:")):
            self.component = URIRef(component)
        elif component.endswith("ConstraintComponent"):
            self.component = SH[component]
        else:
            self.component = UNSUPPORTED[component]


@dataclass(frozen=True)
class Result:
    """One validation result, as in a SHACL validation report.

    Attributes
    ----------
    focus : pyoxigraph term
        The focus node.
    path : rdflib Node or None
        The result path: the shape's ``sh:path`` node in the shapes graph (an IRI, or the blank
        node of a complex path), or the predicate for ``sh:closed``.
    value : pyoxigraph term or None
        The value node, where the component reports one.
    source_shape : rdflib Node
        The shape the constraint belongs to.
    component : rdflib URIRef
        The ``sh:sourceConstraintComponent``.
    severity : rdflib URIRef
        ``sh:Violation``, ``sh:Warning`` or ``sh:Info``.
    message : str or None
        The shape's ``sh:message`` (``{?var}`` filled in for SPARQL constraints).
    root_shape : rdflib Node
        The shape whose target reached the focus node (the node shape of a property shape).
    """

    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    path: Node | None
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    source_shape: Node
    component: URIRef
    severity: URIRef
    message: str | None
    root_shape: Node


@dataclass(frozen=True)
class Check:
    """How one row of a :class:`CompiledQuery` reports one constraint component of one shape.

    Attributes
    ----------
    component : URIRef
        The constraint component.
    how : str
        ``"row"`` (every row fails), ``"flag:?k"`` (rows where the boolean ``?k`` is true),
        ``"min:n"`` / ``"max:n"`` (``?n`` below / above n) or ``"sparql"`` (a SPARQL constraint).
    shape : rdflib Node
        The source shape.
    root : rdflib Node
        The target-bearing shape that reached it.
    path : rdflib Node or None
        The shape's ``sh:path``.
    severity : URIRef
        The shape's severity.
    message : str or None
        The shape's message.
    """

    component: URIRef
    how: str
    shape: Node
    root: Node
    path: Node | None
    severity: URIRef
    message: str | None


@dataclass(frozen=True)
class CompiledQuery:
    """One SELECT query and how to read its rows into :class:`Result` objects.

    The value-type components of all shapes that walk the same path from the same target share
    one query (one scan), each with its own :class:`Check`.

    Attributes
    ----------
    sparql : str
        The query; ``⟨CLASS:iri⟩`` stands for the class and its subclasses (see :func:`run`).
    checks : tuple of Check
        What the rows say, per component and shape.
    path_var : bool
        Rows carry a ``?path`` (``sh:closed``).
    """

    sparql: str
    checks: tuple[Check, ...]
    path_var: bool = False
    # (select clause and pattern, violation conditions) of a value-type query, for merging.
    merge: tuple[str, tuple[str, ...]] | None = field(default=None, repr=False, compare=False)

    @property
    def shape(self) -> Node:
        """The source shape of the first check."""
        return self.checks[0].shape

    @property
    def root(self) -> Node:
        """The target-bearing shape of the first check."""
        return self.checks[0].root

    @property
    def path(self) -> Node | None:
        """The ``sh:path`` of the first check."""
        return self.checks[0].path


_HEAD_VAR = re.compile(r"\?_v\d+")


def _value_query(head: str, conds: list[tuple[str, Check]]) -> CompiledQuery:
    """Build the query of value-type conditions over ``head`` ("select | pattern")."""
    sel, _, pattern = head.partition(" | ")
    if len(conds) == 1:  # one component: a plain FILTER (no flag to carry)
        cond, check = conds[0]
        text = f"SELECT DISTINCT {sel} WHERE {{ {pattern} FILTER(COALESCE({cond}, true)) }}"
        return CompiledQuery(text, (replace(check, how="row"),))
    binds = " ".join(f"BIND(COALESCE({c}, true) AS ?k{i})" for i, (c, _) in enumerate(conds))
    flags = " || ".join(f"?k{i}" for i in range(len(conds)))
    ks = " ".join(f"?k{i}" for i in range(len(conds)))
    text = f"SELECT DISTINCT {sel} {ks} WHERE {{ {pattern} {binds} FILTER({flags}) }}"
    checks = tuple(replace(chk, how=f"flag:?k{i}") for i, (_, chk) in enumerate(conds))
    return CompiledQuery(text, checks)


def _merge(queries: list[CompiledQuery]) -> list[CompiledQuery]:
    """Merge the value-type queries that share their select clause and pattern."""
    groups: dict[str, list[tuple[str, Check]]] = {}
    order: list[str | CompiledQuery] = []
    for q in queries:
        if q.merge is None:
            order.append(q)
            continue
        head, conds = q.merge
        if head not in groups:
            groups[head] = []
            order.append(head)
        groups[head] += list(zip(conds, q.checks, strict=True))
    return [_value_query(x, groups[x]) if isinstance(x, str) else x for x in order]


@dataclass
class CompiledShapes:
    """The compiled queries of a shapes graph.

    Attributes
    ----------
    queries : list of CompiledQuery
    unsupported : list of (Node, URIRef)
        (shape, constraint component) pairs that could not be compiled; the component is an
        :data:`UNSUPPORTED` reason when it is not one component (``recursiveShape``...).
    skipped_roots : list of Node
        Target-bearing shapes left out because they reach an unsupported component.
    roots : list of Node
        Target-bearing shapes that were compiled.
    """

    queries: list[CompiledQuery] = field(default_factory=list)
    unsupported: list[tuple[Node, URIRef]] = field(default_factory=list)
    skipped_roots: list[Node] = field(default_factory=list)
    roots: list[Node] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Terms and paths


def _term(node: Node, shape: Node, component: str = "blankNodeTerm") -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise _UnsupportedError(shape, component)  # a blank node cannot be named in a query


def _list(g: Graph, node: Node) -> list[Node]:
    return list(Collection(g, node))


def path_text(g: Graph, path: Node) -> str:
    """Return the SPARQL property path of a SHACL path node.

    Parameters
    ----------
    g : rdflib.Graph
        The graph holding the path (shapes graph or a report).
    path : rdflib Node
        An IRI, a list (sequence), or a blank node with ``sh:inversePath``,
        ``sh:alternativePath``, ``sh:zeroOrMorePath``, ``sh:oneOrMorePath`` or
        ``sh:zeroOrOnePath``.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        The node is not a well-formed SHACL path.
    """
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        raise ValueError(f"not a SHACL path: {path!r}")
    if g.value(path, RDF.first) is not None:
        items = _list(g, path)
        if len(items) < 2:
            raise ValueError("a sequence path needs two members")
        return "(" + "/".join(path_text(g, p) for p in items) + ")"
    for pred, fmt in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = g.value(path, pred)
        if inner is not None:
            return fmt.format(path_text(g, inner))
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        items = _list(g, alt)
        if len(items) < 2:
            raise ValueError("an alternative path needs two members")
        return "(" + "|".join(path_text(g, p) for p in items) + ")"
    raise ValueError(f"not a SHACL path: {path!r}")


class _Path:
    """A shape's path: its SPARQL text, and a triple pattern linking two terms.

    Sequences and inverses of IRIs become plain triple patterns (with fresh variables between
    the steps): Oxigraph evaluates a sequence path inside ``NOT EXISTS`` over the whole graph
    (minutes at 1M triples), a chain of triple patterns with the outer variable bound.
    """

    def __init__(self, g: Graph, node: Node, fresh: Callable[[], str]) -> None:
        self.g = g
        self.node = node
        self.fresh = fresh
        self.text = path_text(g, node)

    def pat(self, a: str, b: str) -> str:
        return self._pat(self.node, a, b, inverse=False) + " ."

    def _pat(self, node: Node, a: str, b: str, inverse: bool) -> str:
        g = self.g
        if isinstance(node, URIRef):
            return f"{b} <{node}> {a}" if inverse else f"{a} <{node}> {b}"
        if g.value(node, RDF.first) is not None:
            steps = _list(g, node)
            if inverse:
                steps = steps[::-1]
            terms = [a] + [self.fresh() for _ in steps[1:]] + [b]
            return " . ".join(
                self._pat(st, terms[i], terms[i + 1], inverse) for i, st in enumerate(steps)
            )
        inv = g.value(node, SH.inversePath)
        if inv is not None:
            return self._pat(inv, a, b, not inverse)
        text = path_text(g, node)
        return f"{b} {text} {a}" if inverse else f"{a} {text} {b}"


# --------------------------------------------------------------------------------------------
# Compiler


_Target = Callable[[str], str]


class _Compiler:
    def __init__(self, g: Graph) -> None:
        self.g = g
        self.n = 0
        # Parameters of constraint components declared in the shapes graph (SHACL-SPARQL
        # validators): a shape using one needs a SPARQL engine with pre-binding.
        self.custom = {
            g.value(param, SH.path): comp
            for comp, param in g.subject_objects(SH.parameter)
            if g.value(param, SH.path) is not None
        }

    def fresh(self) -> str:
        self.n += 1
        return f"?_v{self.n}"

    # --- shape properties

    def deactivated(self, s: Node) -> bool:
        return any(_true(o) for o in self.g.objects(s, SH.deactivated))

    def severity(self, s: Node) -> URIRef:
        sev = self.g.value(s, SH.severity)
        return sev if isinstance(sev, URIRef) else SH.Violation

    def message(self, s: Node) -> str | None:
        msgs = sorted(str(m) for m in self.g.objects(s, SH.message))
        return msgs[0] if msgs else None

    def path(self, s: Node) -> _Path | None:
        p = self.g.value(s, SH.path)
        if p is None:
            return None
        try:
            return _Path(self.g, p, self.fresh)
        except ValueError:
            raise _UnsupportedError(s, "malformedPath") from None

    def check_components(self, s: Node) -> None:
        for p in set(self.g.predicates(s, None)):
            if p in self.custom:
                raise _UnsupportedError(s, str(self.custom[p]))
            if not str(p).startswith(str(SH)) or p in _NOT_COMPONENTS:
                continue
            if p in _VALUE_COMPONENTS or p in _OTHER_COMPONENTS:
                continue
            local = str(p)[len(str(SH)) :]
            raise _UnsupportedError(s, SH[local[:1].upper() + local[1:] + "ConstraintComponent"])

    # --- value conditions: a boolean expression, true when value ``v`` violates

    def value_conditions(
        self, s: Node, v: str, stack: tuple[Node, ...]
    ) -> list[tuple[URIRef, str]]:
        g = self.g
        out: list[tuple[URIRef, str]] = []
        for c in sorted(g.objects(s, SH["class"]), key=str):
            cls = _term(c, s, "ClassConstraintComponent")
            var = self.fresh()
            out.append(
                (
                    SH.ClassConstraintComponent,
                    f"NOT EXISTS {{ {v} <{RDF_TYPE}> {var} . "
                    f"VALUES {var} {{ \u27e8CLASS:{cls[1:-1]}\u27e9 }} }}",
                )
            )
        for d in g.objects(s, SH.datatype):
            dt = _term(d, s, "DatatypeConstraintComponent")
            ok = f"sameTerm(DATATYPE({v}), {dt})"
            if str(d) in _INTEGER_RANGES:
                lo, hi = _INTEGER_RANGES[str(d)]
                num = f"<{XSD}integer>(STR({v}))"
                tests = [f"{num} >= {lo}"] * (lo is not None) + [f"{num} <= {hi}"] * (
                    hi is not None
                )
                ok = (
                    f"({ok} || sameTerm(DATATYPE({v}), <{XSD}integer>)) && "
                    f"COALESCE({' && '.join(tests)}, false)"
                )
            elif str(d) in _CASTABLE:
                ok += f" && !sameTerm(COALESCE({dt}(STR({v})), {_BAD}), {_BAD})"
            out.append((SH.DatatypeConstraintComponent, f"!COALESCE({ok}, false)"))
        for k in g.objects(s, SH.nodeKind):
            if k not in _NODE_KINDS:
                raise _UnsupportedError(s, SH.NodeKindConstraintComponent)
            out.append((SH.NodeKindConstraintComponent, "!" + _NODE_KINDS[k].format(v=v)))
        for lst in g.objects(s, SH["in"]):
            members = _list(g, lst)
            if all(isinstance(m, URIRef) for m in members) and members:
                cond = f"{v} NOT IN ({', '.join(_term(m, s) for m in members)})"
            else:
                alts = " || ".join(
                    f"sameTerm({v}, {_term(m, s, 'InConstraintComponent')})" for m in members
                )
                cond = f"!({alts or 'false'})"
            out.append((SH.InConstraintComponent, cond))
        for pat in g.objects(s, SH.pattern):
            flags = g.value(s, SH.flags)
            args = f"STR({v}), {Literal(str(pat)).n3()}"
            if flags is not None:
                args += f", {Literal(str(flags)).n3()}"
            out.append(
                (SH.PatternConstraintComponent, f"isBlank({v}) || !COALESCE(REGEX({args}), false)")
            )
        for pred, op, comp in (
            (SH.minLength, "<", SH.MinLengthConstraintComponent),
            (SH.maxLength, ">", SH.MaxLengthConstraintComponent),
        ):
            for n in g.objects(s, pred):
                out.append((comp, f"isBlank({v}) || STRLEN(STR({v})) {op} {int(n)}"))  # type: ignore[call-overload]
        for pred, op, comp in (
            (SH.minInclusive, ">=", SH.MinInclusiveConstraintComponent),
            (SH.maxInclusive, "<=", SH.MaxInclusiveConstraintComponent),
            (SH.minExclusive, ">", SH.MinExclusiveConstraintComponent),
            (SH.maxExclusive, "<", SH.MaxExclusiveConstraintComponent),
        ):
            for m in g.objects(s, pred):
                out.append((comp, f"!COALESCE({v} {op} {_term(m, s, str(comp))}, false)"))
        for lst in g.objects(s, SH.languageIn):
            tags = [str(t) for t in _list(g, lst)]
            alts = " || ".join(f"langMatches(LANG({v}), {Literal(t).n3()})" for t in tags)
            out.append(
                (SH.LanguageInConstraintComponent, f"!isLiteral({v}) || !({alts or 'false'})")
            )
        for n in g.objects(s, SH.node):
            out.append((SH.NodeConstraintComponent, f"!({self.conforms(n, v, stack)})"))
        for n in g.objects(s, SH["not"]):
            out.append((SH.NotConstraintComponent, self.conforms(n, v, stack)))
        for lst in g.objects(s, SH["and"]):
            parts = [self.conforms(m, v, stack) for m in _list(g, lst)]
            out.append((SH.AndConstraintComponent, f"!({' && '.join(parts) or 'true'})"))
        for lst in g.objects(s, SH["or"]):
            parts = [self.conforms(m, v, stack) for m in _list(g, lst)]
            out.append((SH.OrConstraintComponent, f"!({' || '.join(parts) or 'false'})"))
        for lst in g.objects(s, SH.xone):
            parts = [f"IF({self.conforms(m, v, stack)}, 1, 0)" for m in _list(g, lst)]
            out.append((SH.XoneConstraintComponent, f"({' + '.join(parts) or '0'}) != 1"))
        return out

    # --- focus-level patterns: (component, group pattern, value var or None, path var or None)

    def focus_patterns(
        self, s: Node, f: str, stack: tuple[Node, ...]
    ) -> list[tuple[URIRef, str, str | None, str | None]]:
        g = self.g
        p = self.path(s)
        out: list[tuple[URIRef, str, str | None, str | None]] = []
        for hv in g.objects(s, SH.hasValue):
            t = _term(hv, s, "HasValueConstraintComponent")
            if p is None:
                out.append(
                    (SH.HasValueConstraintComponent, f"FILTER(!sameTerm({f}, {t}))", None, None)
                )
            else:
                out.append(
                    (
                        SH.HasValueConstraintComponent,
                        f"FILTER NOT EXISTS {{ {p.pat(f, t)} }}",
                        None,
                        None,
                    )
                )
        if any(_true(o) for o in g.objects(s, SH.uniqueLang)):
            if p is None:
                raise _UnsupportedError(s, SH.UniqueLangConstraintComponent)
            a, b = self.fresh(), self.fresh()
            out.append(
                (
                    SH.UniqueLangConstraintComponent,
                    f"{p.pat(f, a)} {p.pat(f, b)} FILTER(!sameTerm({a}, {b}) && "
                    f'LANG({a}) != "" && LCASE(LANG({a})) = LCASE(LANG({b})))',
                    None,
                    None,
                )
            )
        for pred, comp in (
            (SH.equals, SH.EqualsConstraintComponent),
            (SH.disjoint, SH.DisjointConstraintComponent),
            (SH.lessThan, SH.LessThanConstraintComponent),
            (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent),
        ):
            for q in g.objects(s, pred):
                qt = _term(q, s, str(comp))
                v, w = self.fresh(), self.fresh()
                vals = p.pat(f, v) if p else f"BIND({f} AS {v})"
                if pred == SH.equals:
                    out.append((comp, f"{vals} FILTER NOT EXISTS {{ {f} {qt} {v} }}", v, None))
                    if p:
                        other = f"{f} {qt} {w} . FILTER NOT EXISTS {{ {p.pat(f, w)} }}"
                    else:
                        other = f"{f} {qt} {w} . FILTER(!sameTerm({w}, {f}))"
                    out.append((comp, other, w, None))
                elif pred == SH.disjoint:
                    out.append((comp, f"{vals} {f} {qt} {v} .", v, None))
                else:
                    op = "<" if pred == SH.lessThan else "<="
                    if p is None:
                        raise _UnsupportedError(s, comp)
                    out.append(
                        (
                            comp,
                            f"{vals} {f} {qt} {w} . FILTER(!COALESCE({v} {op} {w}, false))",
                            v,
                            None,
                        )
                    )
        if any(_true(o) for o in g.objects(s, SH.closed)):
            allowed = {
                str(g.value(ps, SH.path))
                for ps in g.objects(s, SH.property)
                if isinstance(g.value(ps, SH.path), URIRef)
            }
            for lst in g.objects(s, SH.ignoredProperties):
                allowed |= {str(m) for m in _list(g, lst)}
            v, pv, o = self.fresh(), self.fresh(), self.fresh()
            vals = p.pat(f, v) if p else f"BIND({f} AS {v})"
            cond = (
                f"FILTER({pv} NOT IN ({', '.join(f'<{a}>' for a in sorted(allowed))}))"
                if allowed
                else ""
            )
            out.append((SH.ClosedConstraintComponent, f"{vals} {v} {pv} {o} . {cond}", o, pv))
        return out

    # --- counts: (component, lower bound or None, upper bound or None, extra value filter)

    def counts(
        self, s: Node, stack: tuple[Node, ...]
    ) -> list[tuple[URIRef, int | None, int | None, Callable[[str], str] | None]]:
        g = self.g
        out: list[tuple[URIRef, int | None, int | None, Callable[[str], str] | None]] = []
        lo = [int(n) for n in g.objects(s, SH.minCount)]  # type: ignore[call-overload]
        hi = [int(n) for n in g.objects(s, SH.maxCount)]  # type: ignore[call-overload]
        if (lo or hi) and self.path(s) is None:
            raise _UnsupportedError(
                s, SH.MinCountConstraintComponent if lo else SH.MaxCountConstraintComponent
            )
        for n in lo:
            out.append((SH.MinCountConstraintComponent, n, None, None))
        for n in hi:
            out.append((SH.MaxCountConstraintComponent, None, n, None))
        for q in g.objects(s, SH.qualifiedValueShape):
            if self.path(s) is None:
                raise _UnsupportedError(s, SH.QualifiedMinCountConstraintComponent)
            siblings: list[Node] = []
            if any(_true(o) for o in g.objects(s, SH.qualifiedValueShapesDisjoint)):
                for parent in g.subjects(SH.property, s):
                    for sib in g.objects(parent, SH.property):
                        siblings += [x for x in g.objects(sib, SH.qualifiedValueShape) if x != q]

            def cond(v: str, q: Node = q, siblings: list[Node] = siblings) -> str:
                parts = [self.conforms(q, v, stack)]
                parts += [f"!({self.conforms(x, v, stack)})" for x in siblings]
                return " && ".join(parts)

            for n in g.objects(s, SH.qualifiedMinCount):
                out.append((SH.QualifiedMinCountConstraintComponent, int(n), None, cond))  # type: ignore[call-overload]
            for n in g.objects(s, SH.qualifiedMaxCount):
                out.append((SH.QualifiedMaxCountConstraintComponent, None, int(n), cond))  # type: ignore[call-overload]
        return out

    def _distinct(self, f: str, p: _Path, n: int, cond: Callable[[str], str] | None) -> str:
        """Return a pattern matching when ``f`` has ``n`` distinct values (passing ``cond``)."""
        vs = [self.fresh() for _ in range(n)]
        parts = [p.pat(f, v) for v in vs]
        filters = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2)]
        if cond is not None:
            filters += [f"({cond(v)})" for v in vs]
        return " ".join(parts) + (f" FILTER({' && '.join(filters)})" if filters else "")

    # --- "?x conforms to shape s" as a boolean expression

    def conforms(self, s: Node, x: str, stack: tuple[Node, ...]) -> str:
        g = self.g
        if s in stack:
            raise _UnsupportedError(s, "recursiveShape")
        stack = (*stack, s)
        self.check_components(s)
        if self.deactivated(s):
            return "true"
        if g.value(s, SH.sparql) is not None:
            raise _UnsupportedError(s, SH.SPARQLConstraintComponent)  # only at the top level
        p = self.path(s)
        parts: list[str] = []
        if p is None:
            parts += [f"!({c})" for _, c in self.value_conditions(s, x, stack)]
        else:
            v = self.fresh()
            conds = [c for _, c in self.value_conditions(s, v, stack)]
            if conds:
                parts.append(f"NOT EXISTS {{ {p.pat(x, v)} FILTER({' || '.join(conds)}) }}")
        parts += [f"NOT EXISTS {{ {pat} }}" for _, pat, _, _ in self.focus_patterns(s, x, stack)]
        for _, lo, hi, cond in self.counts(s, stack):
            assert p is not None
            if lo is not None and lo > 0:
                if lo > 6:
                    raise _UnsupportedError(s, "nestedMinCountAbove6")
                parts.append(f"EXISTS {{ {self._distinct(x, p, lo, cond)} }}")
            if hi is not None:
                if hi > 5:
                    raise _UnsupportedError(s, "nestedMaxCountAbove5")
                parts.append(f"NOT EXISTS {{ {self._distinct(x, p, hi + 1, cond)} }}")
        for ps in g.objects(s, SH.property):
            if p is None:
                parts.append(self.conforms(ps, x, stack))
            else:
                v = self.fresh()
                parts.append(
                    f"NOT EXISTS {{ {p.pat(x, v)} FILTER(!({self.conforms(ps, v, stack)})) }}"
                )
        return "(" + " && ".join(parts) + ")" if parts else "true"

    # --- top-level queries of shape s, whose focus nodes are those of ``target``

    def queries(
        self, s: Node, root: Node, target: _Target, stack: tuple[Node, ...]
    ) -> list[CompiledQuery]:
        g = self.g
        if s in stack:
            raise _UnsupportedError(s, "recursiveShape")
        stack = (*stack, s)
        self.check_components(s)
        if self.deactivated(s):
            return []
        sev, msg = self.severity(s), self.message(s)
        path_node = g.value(s, SH.path)
        p = self.path(s)
        out: list[CompiledQuery] = []

        def check(component: URIRef, how: str) -> Check:
            return Check(component, how, s, root, path_node, sev, msg)

        def q(sparql: str, checks: list[tuple[URIRef, str]], path_var: bool = False) -> None:
            out.append(CompiledQuery(sparql, tuple(check(c, h) for c, h in checks), path_var))

        t = target("?this")
        # Value-type components: one scan of the value nodes.
        v = "?value" if p else "?this"
        conds = self.value_conditions(s, v, stack)
        if conds:
            vals = p.pat("?this", "?value") if p else ""
            sel = "?this ?value" if p else "?this (?this AS ?value)"
            names: dict[str, str] = {}
            head = _HEAD_VAR.sub(
                lambda m: names.setdefault(m.group(0), f"?_h{len(names)}"), f"{sel} | {t} {vals}"
            )
            merge = (head, tuple(c for _, c in conds))
            checks = tuple(check(c, "flag") for c, _ in conds)
            out.append(CompiledQuery("", checks, merge=merge))
        for comp, pat, val, pv in self.focus_patterns(s, "?this", stack):
            sel = (
                "?this"
                + (f" ({val} AS ?value)" if val else "")
                + (f" ({pv} AS ?path)" if pv else "")
            )
            q(
                f"SELECT DISTINCT {sel} WHERE {{ {t} {pat} }}",
                [(comp, "row")],
                path_var=pv is not None,
            )
        counts = self.counts(s, stack)
        plain = [c for c in counts if c[3] is None]
        if plain:
            assert p is not None
            if [(c[1], c[2]) for c in plain] == [(1, None)]:
                # NOT EXISTS for one triple pattern; OPTIONAL for a longer path (Oxigraph plans
                # an EXISTS body of several patterns without the outer binding: minutes at 1M).
                none = (
                    f"FILTER NOT EXISTS {{ {p.pat('?this', '?_any')} }}"
                    if isinstance(p.node, URIRef)
                    else f"OPTIONAL {{ {p.pat('?this', '?_any')} }} FILTER(!BOUND(?_any))"
                )
                q(
                    f"SELECT DISTINCT ?this WHERE {{ {t} {none} }}",
                    [(SH.MinCountConstraintComponent, "min:1")],
                )
            else:
                having = " || ".join(
                    f"?n < {lo}" if lo is not None else f"?n > {hi}" for _, lo, hi, _ in plain
                )
                q(
                    f"SELECT ?this ?n WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) "
                    f"WHERE {{ {t} OPTIONAL {{ {p.pat('?this', '?value')} }} }} GROUP BY ?this }} "
                    f"FILTER({having}) }}",
                    [(c, f"min:{lo}" if lo is not None else f"max:{hi}") for c, lo, hi, _ in plain],
                )
        for comp, lo, hi, cond in counts:
            if cond is None:
                continue
            assert p is not None
            test = f"?n < {lo}" if lo is not None else f"?n > {hi}"
            q(
                f"SELECT ?this ?n WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) "
                f"WHERE {{ {t} OPTIONAL {{ {p.pat('?this', '?value')} "
                f"FILTER({cond('?value')}) }} }} "
                f"GROUP BY ?this }} FILTER({test}) }}",
                [(comp, f"min:{lo}" if lo is not None else f"max:{hi}")],
            )
        for c in g.objects(s, SH.sparql):
            out += self.sparql(c, s, root, p, path_node, target)
        for ps in g.objects(s, SH.property):
            if p is None:
                sub = target
            else:

                def sub(var: str, p: _Path = p) -> str:
                    fv = self.fresh()
                    return f"{{ SELECT DISTINCT {var} WHERE {{ {target(fv)} {p.pat(fv, var)} }} }}"

            out += self.queries(ps, root, sub, stack)
        return out

    def sparql(
        self, c: Node, s: Node, root: Node, p: _Path | None, path_node: Node | None, target: _Target
    ) -> list[CompiledQuery]:
        g = self.g
        if self.deactivated(c):
            return []
        select = g.value(c, SH.select)
        if select is None:
            raise _UnsupportedError(s, SH.SPARQLConstraintComponent)
        text = str(select)
        prefixes: dict[str, str] = {}
        todo, done = list(g.objects(c, SH.prefixes)), set()
        while todo:  # the prefixes' node and what it owl:imports
            pnode = todo.pop()
            done.add(pnode)
            for d in g.objects(pnode, SH.declare):
                prefixes[str(g.value(d, SH.prefix))] = str(g.value(d, SH.namespace))
            todo += [i for i in g.objects(pnode, OWL_IMPORTS) if i not in done]
        if re.search(r"\$(currentShape|shapesGraph)\b", text):
            raise _UnsupportedError(s, SH.SPARQLConstraintComponent)
        if "$PATH" in text:
            if p is None:
                raise _UnsupportedError(s, SH.SPARQLConstraintComponent)
            text = text.replace("$PATH", p.text)
        text = re.sub(r"\$this\b", "?this", text)
        text = re.sub(r"\$(\w+)", r"?\1", text)
        head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(prefixes.items()))
        sev = self.severity(s)
        msg = self.message(c) or self.message(s)
        # The target goes first in the query's own WHERE group, so that $this is bound before
        # the rest of it (a join with a sub-select would evaluate it with $this unbound).
        where = re.search(r"(?i)\bWHERE\s*\{", text) or re.search(r"\{", text)
        if where is None or re.search(r"(?i)^\s*(PREFIX|BASE)\b", text):
            raise _UnsupportedError(s, SH.SPARQLConstraintComponent)
        text = f"{text[: where.end()]} {target('?this')} {text[where.end() :]}"
        sparql = f"{head}SELECT * WHERE {{ {{ {text} }} }}"
        try:  # a syntax error (unknown prefix...) is found now, not while running
            ox.Store().query(_CLASS_RE.sub(lambda m: f"<{m.group(1)}>", sparql))
        except SyntaxError:
            raise _UnsupportedError(s, SH.SPARQLConstraintComponent) from None
        return [
            CompiledQuery(
                sparql,
                (Check(SH.SPARQLConstraintComponent, "sparql", s, root, path_node, sev, msg),),
            )
        ]

    # --- roots

    def target(self, s: Node) -> _Target | None:
        g = self.g
        parts: list[Callable[[str], str]] = []
        classes = list(g.objects(s, SH.targetClass))
        if (s, RDF.type, RDFS.Class) in g and isinstance(s, URIRef):
            classes.append(s)
        for c in classes:
            if not isinstance(c, URIRef):
                raise _UnsupportedError(s, "blankNodeTarget")
        if classes:
            vals = " ".join(f"\u27e8CLASS:{c}\u27e9" for c in sorted(set(classes), key=str))

            def by_class(var: str) -> str:
                t = self.fresh()
                return f"{var} <{RDF_TYPE}> {t} . VALUES {t} {{ {vals} }}"

            parts.append(by_class)
        nodes = list(g.objects(s, SH.targetNode))
        if nodes:
            terms = " ".join(_term(n, s, "blankNodeTarget") for n in nodes)
            parts.append(lambda var: f"VALUES {var} {{ {terms} }}")
        for pr in g.objects(s, SH.targetSubjectsOf):
            pt = _term(pr, s, "blankNodeTarget")
            parts.append(lambda var, pt=pt: f"{var} {pt} {self.fresh()} .")
        for pr in g.objects(s, SH.targetObjectsOf):
            pt = _term(pr, s, "blankNodeTarget")
            parts.append(lambda var, pt=pt: f"{self.fresh()} {pt} {var} .")
        if g.value(s, SH.target) is not None:
            raise _UnsupportedError(s, "customTarget")
        if not parts:
            return None
        if len(parts) == 1 and not nodes:
            return parts[0]

        def union(var: str) -> str:
            body = " UNION ".join(f"{{ {part(var)} }}" for part in parts)
            return f"{{ SELECT DISTINCT {var} WHERE {{ {body} }} }}"

        return union


def _roots(g: Graph) -> list[Node]:
    found: set[Node] = set()
    for pred in (*_TARGETS, SH.target):
        found |= set(g.subjects(pred, None))
    for kind in (SH.NodeShape, SH.PropertyShape):
        for s in g.subjects(RDF.type, kind):
            if (s, RDF.type, RDFS.Class) in g:
                found.add(s)
    return sorted(found, key=lambda n: (isinstance(n, BNode), str(n)))


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile every target-bearing shape of ``shapes`` to SPARQL queries.

    Parameters
    ----------
    shapes : rdflib.Graph
        The shapes graph.

    Returns
    -------
    CompiledShapes
        The queries, and the (shape, component) pairs that could not be compiled together with
        the root shapes left out because of them.
    """
    out = CompiledShapes()
    comp = _Compiler(shapes)
    for root in _roots(shapes):
        try:
            target = comp.target(root)
            if target is None:
                continue
            queries = comp.queries(root, root, target, ())
        except _UnsupportedError as exc:
            component = exc.component
            out.unsupported.append((exc.shape, component))
            out.skipped_roots.append(root)
            continue
        out.roots.append(root)
        out.queries += queries
    out.queries = _merge(out.queries)
    return out


# --------------------------------------------------------------------------------------------
# Running


def _subclasses(store: ox.Store, cls: str, union: bool, cache: dict[str, str]) -> str:
    if cls not in cache:
        q = f"SELECT DISTINCT ?c WHERE {{ ?c <{SUBCLASS}>* <{cls}> }}"
        found = {r["c"].value for r in store.query(q, use_default_graph_as_union=union)}  # type: ignore[union-attr,index]
        found.add(cls)
        cache[cls] = " ".join(f"<{c}>" for c in sorted(found))
    return cache[cls]


def _to_rdflib_iri(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Node | None:
    return URIRef(term.value) if isinstance(term, ox.NamedNode) else None


def _fill(message: str | None, row: ox.QuerySolution, names: Iterable[str]) -> str | None:
    if message is None:
        return None
    for name in names:
        val = row[name]
        text = "" if val is None else val.value
        message = message.replace("{?" + name + "}", text).replace("{$" + name + "}", text)
    return message


def run(
    store: ox.Store,
    compiled: CompiledShapes,
    *,
    union_default_graph: bool = True,
    focus_nodes: set[ox.NamedNode | ox.BlankNode | ox.Literal] | None = None,
) -> list[Result]:
    """Run the compiled queries on ``store``.

    Parameters
    ----------
    store : pyoxigraph.Store
        The data graph (with the ontology, for ``rdfs:subClassOf``).
    compiled : CompiledShapes
        From :func:`compile_shapes`.
    union_default_graph : bool
        Query the union of all graphs (``True``) or the default graph only.
    focus_nodes : set of pyoxigraph terms, optional
        Keep only the results about these focus nodes.

    Returns
    -------
    list of Result
        Distinct results, in query order.
    """
    cache: dict[str, str] = {}
    seen: set[tuple[object, ...]] = set()
    results: list[Result] = []
    for cq in compiled.queries:
        text = _CLASS_RE.sub(
            lambda m: _subclasses(store, m.group(1), union_default_graph, cache), cq.sparql
        )
        try:
            rows = store.query(text, use_default_graph_as_union=union_default_graph)
        except SyntaxError as exc:  # a compiler bug, not a data error
            raise ValueError(f"bad compiled query for {cq.shape}: {exc}\n{text}") from exc
        names = [v.value for v in rows.variables]  # type: ignore[union-attr]
        for row in rows:  # type: ignore[union-attr]
            focus = row["this"]
            if focus is None or (focus_nodes is not None and focus not in focus_nodes):
                continue
            for chk in cq.checks:
                how = chk.how
                value = row["value"] if "value" in names else None
                path = _to_rdflib_iri(row["path"]) if cq.path_var else chk.path
                if how == "sparql":
                    # SHACL-SPARQL: ?path and ?value when bound, else the shape's path / $this.
                    bound = row["path"] if "path" in names else None
                    path = URIRef(bound.value) if isinstance(bound, ox.NamedNode) else chk.path
                    if value is None and chk.path is None:
                        value = focus
                elif how.startswith("flag:"):
                    flag = row[how[6:]]
                    if flag is None or flag.value != "true":
                        continue
                elif how.startswith(("min:", "max:")):
                    value = None
                    if "n" in names:
                        n = int(row["n"].value)
                        bound_n = int(how[4:])
                        if (how[:3] == "min" and n >= bound_n) or (
                            how[:3] == "max" and n <= bound_n
                        ):
                            continue
                msg = _fill(chk.message, row, names) if how == "sparql" else chk.message
                key = (focus, path, value, chk.shape, chk.component, chk.root)
                if key in seen:
                    continue
                seen.add(key)
                results.append(
                    Result(
                        focus, path, value, chk.shape, chk.component, chk.severity, msg, chk.root
                    )
                )
    return results
