"""Validate the graph with the SHACL shapes in ``ontology/shapes/``.

pySHACL runs on an rdflib in-memory graph (it is about 7x slower over an Oxigraph-backed graph,
see ``shared/design/performance-notes.md`` §3); the ontology is passed as ``ont_graph`` so that
instances of subclasses (``org:FormalOrganization``, ``mi:AnonymousOrganisation``) are reached
by shapes that target their parent class. Each result is mapped back to the file that defines
its focus node, so a curator knows where to look.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg import namespaces
from kg.exceptions import KGError, LoadError
from kg.loader.files import SourceFile, discover
from kg.loader.load import parse_file
from kg.settings import Settings, get_settings
from kg.validate.report import ValidationReport, ValidationResult

SH = Namespace(namespaces.SH)
SKOS = Namespace(namespaces.SKOS)

__all__ = ["validate"]


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _graph_of(files: list[SourceFile], owners: dict[Node, set[str]] | None = None) -> Graph:
    g = Graph()
    for f in files:
        for q in parse_file(f.path, f.graph):
            s = _to_rdflib(q.subject)  # type: ignore[arg-type]
            g.add((s, URIRef(q.predicate.value), _to_rdflib(q.object)))  # type: ignore[arg-type]
            if owners is not None:
                owners[s].add(str(f.path))
    return g


def _named_anchor(g: Graph, node: Node, depth: int = 4) -> Node:
    """Return the nearest IRI that (transitively) points to blank node ``node``, for messages."""
    frontier = [node]
    for _ in range(depth):
        parents = [s for n in frontier for s in g.subjects(None, n)]
        named = [p for p in parents if isinstance(p, URIRef)]
        if named:
            return named[0]
        if not parents:
            break
        frontier = parents
    return node


def _node_shape_of(shapes: Graph, shape: Node | None) -> str | None:
    """Name the node shape a result comes from (a property shape's parent)."""
    if shape is None:
        return None
    if isinstance(shape, BNode):
        parent = shapes.value(None, SH.property, shape) or shapes.value(None, SH.sparql, shape)
        if parent is None:
            # A property shape inside sh:or/sh:and lists: walk up through the list nodes.
            node: Node | None = shape
            for _ in range(8):
                node = shapes.value(None, RDF.first, node) or shapes.value(None, RDF.rest, node)
                if node is None:
                    break
                owner = shapes.value(None, SH["or"], node) or shapes.value(None, SH["and"], node)
                if owner is not None:
                    return _node_shape_of(shapes, owner)
            return None
        return _node_shape_of(shapes, parent)
    return str(shape)


def _shapes_graph(shapes_dir: Path) -> Graph:
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise LoadError(f"{shapes_dir}: no shapes files (*.ttl) found")
    return _graph_of([SourceFile(p, ox.NamedNode("urn:x-kg:shapes")) for p in files])


def validate(
    settings: Settings | None = None,
    *,
    data_files: list[Path] | None = None,
) -> ValidationReport:
    """Validate the shipped data (or ``data_files``) against the shapes.

    Parameters
    ----------
    settings : Settings, optional
        Where the ontology, shapes and data are.
    data_files : list of Path, optional
        Validate these Turtle files (with the ontology and vocabularies) instead of ``data/ttl``.

    Returns
    -------
    ValidationReport

    Raises
    ------
    LoadError
        A file cannot be parsed (the message names file and line).
    """
    s = settings or get_settings()
    every = discover(s, data=data_files is None)
    onto_files = [f for f in every if f.path.parent == s.ontology_dir]
    vocab_files = [f for f in every if f.path.parent == s.ontology_dir / "vocab"]
    if data_files is None:
        data = [f for f in every if f not in onto_files and f not in vocab_files]
    else:
        data = [SourceFile(p, ox.NamedNode(p.resolve().as_uri())) for p in data_files]
    owners: dict[Node, set[str]] = defaultdict(set)
    data_graph = _graph_of(vocab_files + data, owners)
    ont_graph = _graph_of(onto_files)
    shapes = _shapes_graph(s.shapes_dir)
    try:
        _conforms, results_graph, _text = shacl_validate(
            data_graph,
            shacl_graph=shapes,
            ont_graph=ont_graph,
            inference="none",
            allow_warnings=True,
            advanced=True,
        )
    except Exception as exc:  # pyshacl raises its own error types for broken shapes
        raise KGError(f"SHACL validation could not run: {exc}") from exc
    report = ValidationReport(triples=len(data_graph))
    rg: Graph = results_graph  # type: ignore[assignment]
    # Only top-level results: nested sh:detail results repeat what their parent says.
    top = [
        r for rep in rg.subjects(RDF.type, SH.ValidationReport) for r in rg.objects(rep, SH.result)
    ]
    for res in top:
        focus = rg.value(res, SH.focusNode)
        anchor = _named_anchor(data_graph, focus) if isinstance(focus, BNode) else focus
        sev = rg.value(res, SH.resultSeverity)
        path = rg.value(res, SH.resultPath)
        value = rg.value(res, SH.value)
        label = data_graph.value(anchor, SKOS.prefLabel) if anchor is not None else None
        report.results.append(
            ValidationResult(
                severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
                focus_node=str(focus) if isinstance(focus, URIRef) else f"_:{focus} (in {anchor})",
                focus_label=str(label) if label is not None else None,
                path=str(path) if isinstance(path, URIRef) else None,
                value=str(value) if value is not None else None,
                message=str(rg.value(res, SH.resultMessage) or "constraint violated"),
                shape=str(rg.value(res, SH.sourceShape)),
                files=tuple(sorted(owners.get(focus, ()))) if focus is not None else (),
                node_shape=_node_shape_of(shapes, rg.value(res, SH.sourceShape)),
            )
        )
    report.results.sort(key=lambda r: (r.severity != "Violation", r.files, r.focus_node))
    return report
