"""Whole-graph validation: the shapes compiled to SPARQL queries run by Oxigraph.

pySHACL (:mod:`kg.validate`) checks node by node in Python: about 5 s per 100k triples, minutes
at a million. Here the shapes of ``ontology/shapes/*.ttl`` are compiled by
:mod:`kg.validate.compiler` into whole-graph SPARQL SELECT queries (one or a few per shape, each
answering focus node and offending value), so that Oxigraph does the work: a million triples in
seconds. Nothing is restated by hand: a new or changed shape is checked as written. It returns
the same :class:`kg.validate.ValidationReport` as :func:`kg.validate.validate`, with the same
focus nodes (``tests/scale/test_fastcheck.py`` checks that on every shape fixture and on a
generated graph with injected errors), ``node_shape`` naming the targeted node shape, the
result path, and the shapes' own ``sh:message`` texts (``{?var}`` filled in for SPARQL
constraints). A shape that uses a component the compiler does not know (none of the shipped
ones) is checked by pySHACL on the same graph instead (:func:`compiled_shapes` lists them).

Known differences from pySHACL: results are compared per focus node and shape (a node that
breaks two constraints of one property shape may give one or two results in either); Oxigraph
reads ``"1"^^xsd:int`` as ``xsd:integer``, so ``sh:datatype xsd:int`` accepts a genuine
``xsd:integer`` in range. Ill-typed literals (``"2019-02-30"^^xsd:date``) stop validation with a
:class:`~kg.exceptions.LoadError` naming file and line, as in :mod:`kg.loader.load`.

Incremental re-validation (``changed=FILE``)
-------------------------------------------
A full run writes a small index next to its results (a cache folder, see :func:`cache_dir_for`;
no copy of the triples): per file, its size, mtime, the named nodes it describes and their
``rdf:type``s; per node, the files that point at it; every ``owl:sameAs``; the ontology as
N-Quads. With ``changed``, only that file (and any other whose size or mtime differ) is parsed
again; the compiled queries then run on a small graph made of the new file, the ontology, the
types of everything the file points at, and, read from their files only when needed, the other
descriptions of the nodes the file describes and the nodes that point at a node whose types
changed (an organisation removed or retyped makes awards elsewhere dangle). Results for the
nodes the file describes (before and after the change) and for those referrers replace the
previous ones; the rest of the previous report is kept, so the report covers the whole graph.
A change to the ontology or to more than 8 files falls back to a full run. About 0.5 s for one
file of ~50k triples in a 1M-triple graph (``benchmarks/results/validate-1M.md``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.exceptions import LoadError
from kg.loader.files import SourceFile, discover
from kg.loader.literals import check_literals
from kg.loader.load import load_file
from kg.namespaces import BASE_IRI
from kg.settings import Settings, get_settings
from kg.validate.compiler import SH, CompiledShapes, Result, compile_shapes, path_text, run
from kg.validate.report import ValidationReport, ValidationResult

__all__ = ["cache_dir_for", "compiled_shapes", "fast_validate"]

SHAPE = "https://w3id.org/integration-kg/shapes#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
VOCAB = BASE_IRI + "vocab/"
CACHE_FORMAT = 2

_TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


# --------------------------------------------------------------------------------------------
# Shapes


@dataclass(frozen=True)
class _Shapes:
    graph: Graph
    compiled: CompiledShapes


_SHAPES_CACHE: dict[tuple[tuple[str, int, int], ...], _Shapes] = {}


def _shapes(shapes_dir: Path) -> _Shapes:
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise LoadError(f"{shapes_dir}: no shapes files (*.ttl) found")
    key = tuple((str(f.resolve()), *_stat(f)) for f in files)
    if key not in _SHAPES_CACHE:
        g = Graph()
        for f in files:
            try:
                g.parse(f, format="turtle")
            except Exception as exc:  # rdflib raises several types for bad Turtle
                raise LoadError(f"{f}: {exc}") from exc
        _SHAPES_CACHE.clear()
        _SHAPES_CACHE[key] = _Shapes(g, compile_shapes(g))
    return _SHAPES_CACHE[key]


def compiled_shapes(settings: Settings | None = None) -> CompiledShapes:
    """Return the shapes of ``settings.shapes_dir`` compiled by :mod:`kg.validate.compiler`.

    Parameters
    ----------
    settings : Settings, optional
        Where the shapes are.

    Returns
    -------
    CompiledShapes
        Its ``unsupported`` lists the (shape, component) pairs that pySHACL checks instead.
    """
    return _shapes((settings or get_settings()).shapes_dir).compiled


# --------------------------------------------------------------------------------------------
# Running the checks


def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    lit: Literal = term  # type: ignore[assignment]
    if lit.language:
        return ox.Literal(str(lit), language=lit.language)
    if lit.datatype:
        return ox.Literal(str(lit), datatype=ox.NamedNode(str(lit.datatype)))
    return ox.Literal(str(lit))


def _pyshacl_fallback(store: ox.Store, shapes: _Shapes) -> list[Result]:
    """Check the shapes the compiler could not compile with pySHACL (slow; none are shipped)."""
    from pyshacl import validate as shacl_validate

    roots = set(shapes.compiled.skipped_roots)
    if not roots:
        return []
    data = Graph()
    for q in store.quads_for_pattern(None, None, None):
        data.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))  # type: ignore[arg-type]
    out: list[Result] = []
    for root in sorted(roots, key=str):
        g = Graph()
        for t in shapes.graph:
            s = t[0]
            if s != root and (t[1] in _TARGET_PREDICATES or t[1] == SH.target):
                continue  # only this root's targets
            g.add(t)
        _conforms, report, _text = shacl_validate(
            data, shacl_graph=g, inference="none", allow_warnings=True, advanced=True
        )
        rg: Graph = report  # type: ignore[assignment]
        for r in rg.subjects(RDF.type, SH.ValidationResult):
            if rg.value(None, SH.detail, r) is not None:
                continue
            value = rg.value(r, SH.value)
            out.append(
                Result(
                    focus=_to_ox(rg.value(r, SH.focusNode)),  # type: ignore[arg-type]
                    path=rg.value(r, SH.resultPath),
                    value=None if value is None else _to_ox(value),
                    source_shape=rg.value(r, SH.sourceShape),  # type: ignore[arg-type]
                    component=rg.value(r, SH.sourceConstraintComponent),  # type: ignore[arg-type]
                    severity=rg.value(r, SH.resultSeverity),  # type: ignore[arg-type]
                    message=str(rg.value(r, SH.resultMessage) or "") or None,
                    root_shape=root,
                )
            )
    return out


def _check(store: ox.Store, shapes: _Shapes) -> list[Result]:
    return run(store, shapes.compiled) + _pyshacl_fallback(store, shapes)


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


# --------------------------------------------------------------------------------------------
# Loading


def _files(settings: Settings, data_files: list[Path] | None) -> list[SourceFile]:
    every = discover(settings, data=data_files is None)
    if data_files is not None:
        every += [SourceFile(Path(p), ox.NamedNode(Path(p).resolve().as_uri())) for p in data_files]
    return every


# --------------------------------------------------------------------------------------------
# Reporting


def _anchor(store: ox.Store, node: ox.NamedNode | ox.BlankNode) -> ox.NamedNode | ox.BlankNode:
    frontier = [node]
    for _ in range(4):
        parents = [q.subject for n in frontier for q in store.quads_for_pattern(None, None, n)]
        named = [p for p in parents if isinstance(p, ox.NamedNode)]
        if named:
            return min(named, key=lambda n: n.value)
        if not parents:
            break
        frontier = parents  # type: ignore[assignment]
    return node


def _shape_label(shapes: Graph, r: Result) -> str:
    """Name the source shape stably across runs (a blank node by its node shape and path)."""
    if isinstance(r.source_shape, URIRef):
        return str(r.source_shape)
    try:
        path = path_text(shapes, r.path) if r.path is not None else ""
    except ValueError:
        path = ""
    local = str(r.component).rsplit("#", 1)[-1]
    return f"{r.root_shape} {path} {local}".replace("  ", " ")


def _report(
    store: ox.Store,
    results: list[Result],
    shapes: _Shapes,
    paths: dict[str, Path],
) -> list[ValidationResult]:
    out: list[ValidationResult] = []
    # one label per source shape: naming a path through rdflib costs ~0.5 ms, and a shape
    # broken by many nodes (an import's long quotes) would pay it per node
    labels: dict[tuple[object, ...], str] = {}
    for r in results:
        focus = r.focus
        if isinstance(focus, ox.Literal):
            continue  # a literal focus node (targetObjectsOf a literal) has no file to name
        key = (r.source_shape, r.root_shape, r.path, r.component)
        if key not in labels:
            labels[key] = _shape_label(shapes.graph, r)
        anchor = _anchor(store, focus) if isinstance(focus, ox.BlankNode) else focus
        label = next(
            (
                q.object.value
                for q in store.quads_for_pattern(anchor, ox.NamedNode(SKOS_PREF), None)
            ),
            None,
        )
        graphs = {
            q.graph_name.value
            for q in store.quads_for_pattern(focus, None, None)
            if isinstance(q.graph_name, ox.NamedNode)
        }
        files = tuple(sorted(str(paths[g]) for g in graphs if g in paths))
        focus_text = (
            focus.value
            if isinstance(focus, ox.NamedNode)
            else f"_:{focus.value} (in {anchor.value})"
        )
        out.append(
            ValidationResult(
                severity=str(r.severity).rsplit("#", 1)[-1],
                focus_node=focus_text,
                focus_label=label,
                path=str(r.path) if isinstance(r.path, URIRef) else None,
                value=None if r.value is None else r.value.value,
                message=r.message or f"{str(r.component).rsplit('#', 1)[-1]} violated",
                shape=labels[key],
                files=files,
                node_shape=str(r.root_shape),
            )
        )
    out.sort(key=lambda r: (r.severity != "Violation", r.files, r.focus_node, r.shape or ""))
    return out


# --------------------------------------------------------------------------------------------
# --------------------------------------------------------------------------------------------
# Cache for incremental runs: a small index of the last full graph (no copy of the triples)


@dataclass
class _Index:
    """What an incremental run needs to know about the files it does not re-read."""

    files: dict[str, dict[str, Any]]  # graph -> {"path": str, "stat": [size, mtime_ns]}
    subjects: dict[str, set[str]]  # graph -> named subjects described there
    types: dict[str, dict[str, tuple[str, ...]]]  # graph -> subject -> rdf:types stated there
    refs: dict[str, set[str]]  # node (IRI, not a code-list concept) -> graphs pointing at it
    same_as: list[tuple[str, str, str]]  # (s, o, graph) of every owl:sameAs triple
    results: list[ValidationResult]
    triples: int
    format: int = CACHE_FORMAT


def cache_dir_for(files: list[SourceFile]) -> Path:
    """Return the cache folder for a set of files (``KG_FASTCHECK_CACHE`` or ``~/.cache``)."""
    root = os.environ.get("KG_FASTCHECK_CACHE")
    base = (
        Path(root)
        if root
        else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "integration-kg"
        / "fastcheck"
    )
    paths = sorted(str(f.path.resolve()) for f in files if not _is_onto(f))
    key = hashlib.sha1("\n".join(paths).encode()).hexdigest()[:16]
    return base / key


def _is_onto(f: SourceFile) -> bool:
    return "/ontology/" in f.graph.value or "/ontology/" in f.path.resolve().as_posix()


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


_INDEX_SUBJECTS = """SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }"""
_INDEX_TYPES = """SELECT ?g ?s ?t WHERE { GRAPH ?g { ?s a ?t } FILTER(isIRI(?s)) }"""
_INDEX_REFS = """SELECT DISTINCT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o }
  FILTER(isIRI(?o) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) }"""
_INDEX_SAME_AS = (
    """SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o } }"""
)


def _index_parts(
    store: ox.Store,
) -> tuple[
    dict[str, set[str]],
    dict[str, dict[str, tuple[str, ...]]],
    dict[str, set[str]],
    list[tuple[str, str, str]],
]:
    subjects: dict[str, set[str]] = defaultdict(set)
    for r in store.query(_INDEX_SUBJECTS):
        subjects[r["g"].value].add(r["s"].value)
    tmp: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in store.query(_INDEX_TYPES):
        tmp[r["g"].value][r["s"].value].append(r["t"].value)
    types = {g: {s: tuple(sorted(t)) for s, t in d.items()} for g, d in tmp.items()}
    refs: dict[str, set[str]] = defaultdict(set)
    for r in store.query(_INDEX_REFS):
        o = r["o"].value
        if not o.startswith(VOCAB):
            refs[o].add(r["g"].value)
    same_as = [
        (r["s"].value, r["o"].value if isinstance(r["o"], ox.NamedNode) else "", r["g"].value)
        for r in store.query(_INDEX_SAME_AS)
        if isinstance(r["s"], ox.NamedNode)
    ]
    return dict(subjects), types, dict(refs), same_as


def _write_index(cache: Path, index: _Index) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / "index.pickle.tmp"
    with tmp.open("wb") as fh:
        pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, cache / "index.pickle")


def _read_index(cache: Path) -> _Index | None:
    try:
        with (cache / "index.pickle").open("rb") as fh:
            index = pickle.load(fh)  # noqa: S301 - our own cache file
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None
    return index if isinstance(index, _Index) and index.format == CACHE_FORMAT else None


# --------------------------------------------------------------------------------------------
# Entry point


def fast_validate(
    settings: Settings | None = None,
    *,
    data_files: list[Path] | None = None,
    changed: Path | None = None,
    cache: bool | Path = True,
) -> ValidationReport:
    """Validate the graph (or ``data_files``) with the shapes' rules as SPARQL queries.

    Parameters
    ----------
    settings : Settings, optional
        Where the ontology, shapes and data are.
    data_files : list of Path, optional
        Validate these Turtle files (with the ontology and vocabularies) instead of ``data/ttl``.
    changed : Path, optional
        Re-validate after a change to this one file, reusing the index and results of the
        previous run (a full run happens instead when there is none).
    cache : bool or Path
        Keep an index of the graph for later ``changed`` runs (``True``: in
        :func:`cache_dir_for`; a path: there; ``False``: keep nothing).

    Returns
    -------
    ValidationReport
        The same report as :func:`kg.validate.validate` (``node_shape`` names the targeted
        node shape; ``shape`` the source shape, a blank one as "node shape, path, component").

    Raises
    ------
    LoadError
        A file cannot be parsed, or holds an ill-typed literal (file and line named).
    """
    s = settings or get_settings()
    files = _files(s, data_files)
    if changed is not None:
        changed = Path(changed)
        if not changed.is_file():
            raise LoadError(f"{changed}: no such file")
        if not any(f.path.resolve() == changed.resolve() for f in files):
            files.append(SourceFile(changed, ox.NamedNode(changed.resolve().as_uri())))
    cache_path: Path | None
    if cache is False:
        cache_path = None
    elif cache is True:
        cache_path = cache_dir_for(files)
    else:
        cache_path = Path(cache)
    shapes = _shapes(s.shapes_dir)
    if changed is not None and cache_path is not None:
        index = _read_index(cache_path)
        if index is not None:
            report = _incremental(files, changed, cache_path, index, shapes)
            if report is not None:
                return report
    onto_dir = s.ontology_dir.resolve()
    schema = [f.graph for f in files if f.path.resolve().parent == onto_dir]
    return _full(files, cache_path, shapes, schema)


def _full(
    files: list[SourceFile],
    cache_path: Path | None,
    shapes: _Shapes,
    schema: list[ox.NamedNode],
) -> ValidationReport:
    paths = {f.graph.value: f.path for f in files}
    store = ox.Store()
    for f in files:
        load_file(store, f)
    check_literals(store, files)
    hits = _check(store, shapes)
    # Count the data and code lists, not the ontology, as kg.validate does.
    triples = len(store) - sum(
        1 for g in schema for _ in store.quads_for_pattern(None, None, None, g)
    )
    report = ValidationReport(results=_report(store, hits, shapes, paths), triples=triples)
    if cache_path is not None:
        subjects, types, refs, same_as = _index_parts(store)
        counts = {
            r["g"].value: int(r["n"].value)
            for r in store.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            )
        }
        stats = {
            f.graph.value: {
                "path": str(f.path),
                "stat": _stat(f.path),
                "triples": counts.get(f.graph.value, 0),
            }
            for f in files
        }
        _write_index(
            cache_path,
            _Index(stats, subjects, types, refs, same_as, report.results, report.triples),
        )
        onto = [f.graph for f in files if _is_onto(f)]
        quads = [q for g in onto for q in store.quads_for_pattern(None, None, None, g)]
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        (cache_path / "ontology.nq.tmp").write_bytes(data)
        os.replace(cache_path / "ontology.nq.tmp", cache_path / "ontology.nq")
    return report


def _copy_closure(
    src: ox.Store,
    nodes: Iterable[ox.NamedNode],
    graphs: set[str] | None,
) -> list[ox.Quad]:
    """Quads describing ``nodes`` in ``src`` (only in ``graphs`` if given), with blank nodes."""
    out: list[ox.Quad] = []
    stack: list[ox.NamedNode | ox.BlankNode] = list(nodes)
    seen: set[ox.BlankNode] = set()
    while stack:
        node = stack.pop()
        for q in src.quads_for_pattern(node, None, None):
            if graphs is not None and q.graph_name.value not in graphs:  # type: ignore[union-attr]
                continue
            out.append(q)
            if isinstance(q.object, ox.BlankNode) and q.object not in seen:
                seen.add(q.object)
                stack.append(q.object)
    return out


def _incremental(
    files: list[SourceFile],
    changed: Path,
    cache_path: Path,
    index: _Index,
    shapes: _Shapes,
) -> ValidationReport | None:
    """Re-check the nodes of the changed file(s) on a small subgraph; ``None``: run in full."""
    paths = {f.graph.value: f.path for f in files}
    by_graph = {f.graph.value: f for f in files}
    todo = [
        f
        for f in files
        if f.path.resolve() == changed.resolve()
        or f.graph.value not in index.files
        or index.files[f.graph.value]["stat"] != _stat(f.path)
    ]
    removed = [g for g in index.files if g not in paths]
    if any(_is_onto(f) for f in todo) or len(todo) + len(removed) > 8:
        return None  # the ontology or many files changed: a full run costs the same
    dirty = {f.graph.value for f in todo} | set(removed)
    # 1. The new versions, parsed first: a bad file stops here and changes nothing.
    fresh = ox.Store()
    for f in todo:
        load_file(fresh, f)
    check_literals(fresh, todo)
    new_subjects, new_types, _, new_same = _index_parts(fresh)
    # 2. The nodes to re-check: those the changed files describe (before and after), those that
    #    point at a node whose types changed, and the objects of owl:sameAs triples.
    touched: set[str] = set()
    for g in dirty:
        touched |= index.subjects.get(g, set()) | new_subjects.get(g, set())
    old_types: dict[str, set[str]] = defaultdict(set)
    for g in dirty:
        for s, ts in index.types.get(g, {}).items():
            old_types[s].update(ts)
    now_types: dict[str, set[str]] = defaultdict(set)
    for ts_by_s in new_types.values():
        for s, ts in ts_by_s.items():
            now_types[s].update(ts)
    retyped = {s for s in touched if old_types.get(s, set()) != now_types.get(s, set())}
    focus = set(touched)
    extra_graphs: set[str] = set()
    for s in retyped:
        extra_graphs |= index.refs.get(s, set())
    same_objects = {o for s, o, g in index.same_as if g in dirty} | {o for _, o, _ in new_same if o}
    focus |= same_objects
    # Nodes of the focus that other (unchanged) files also describe.
    for g, subj in index.subjects.items():
        if (
            g not in dirty
            and g in by_graph
            and not _is_onto(by_graph[g])
            and not subj.isdisjoint(focus)
        ):
            extra_graphs.add(g)
    extra_graphs -= dirty
    if len(extra_graphs) > 8:
        return None
    # 3. The subgraph: changed files, the focus nodes' descriptions elsewhere, the ontology, and
    #    the types of everything pointed at.
    counts = {
        r["g"].value: int(r["n"].value)
        for r in fresh.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    raw_refs: dict[str, set[str]] = defaultdict(set)
    for r in fresh.query(_INDEX_REFS):
        raw_refs[r["o"].value].add(r["g"].value)
    objects = set(raw_refs)
    fresh_triples = len(fresh)
    sub = fresh  # the changed files, then what else the rules need
    quads: list[ox.Quad] = []
    onto_dump = cache_path / "ontology.nq"
    if onto_dump.is_file():
        sub.bulk_load(path=str(onto_dump), format=ox.RdfFormat.N_QUADS)
    else:
        for f in files:
            if _is_onto(f):
                load_file(sub, f)
    if extra_graphs:
        other = ox.Store()
        for g in sorted(extra_graphs):
            load_file(other, by_graph[g])
        referrers = {
            q.subject.value
            for s in retyped
            for q in other.quads_for_pattern(None, None, ox.NamedNode(s))
            if isinstance(q.subject, ox.NamedNode)
        }
        focus |= referrers
        quads += _copy_closure(other, (ox.NamedNode(n) for n in focus), None)
        objects |= {q.object.value for q in quads if isinstance(q.object, ox.NamedNode)}
    all_types: dict[str, set[str]] = defaultdict(set)
    for g, ts_by_s in index.types.items():
        if g in dirty:
            continue
        for s, ts in ts_by_s.items():
            if s in objects:
                all_types[s].update(ts)
    for s, ts in now_types.items():
        all_types[s].update(ts)
    rdf_type = ox.NamedNode(RDF_TYPE)
    scratch = ox.NamedNode("urn:x-kg:fastcheck:types")
    for o in objects:
        for t in all_types.get(o, ()):
            quads.append(ox.Quad(ox.NamedNode(o), rdf_type, ox.NamedNode(t), scratch))
    same = ox.NamedNode(OWL_SAME_AS)
    for s, o, g in index.same_as:
        if g not in dirty and o in focus:
            quads.append(ox.Quad(ox.NamedNode(s), same, ox.NamedNode(o), ox.NamedNode(g)))
    sub.extend(quads)
    # 4. The rules on the subgraph; keep the results about the focus nodes.
    hits = [
        h
        for h in _check(sub, shapes)
        if isinstance(h.focus, ox.BlankNode) or h.focus.value in focus
    ]
    new = [r for r in _report(sub, hits, shapes, paths) if _anchor_text(r.focus_node) in focus]
    dirty_files = {str(paths[g]) for g in dirty if g in paths} | {
        index.files[g]["path"] for g in removed
    }
    kept = [
        r
        for r in index.results
        if _anchor_text(r.focus_node) not in focus and not set(r.files) & dirty_files
    ]
    results = sorted(
        kept + new, key=lambda r: (r.severity != "Violation", r.files, r.focus_node, r.shape or "")
    )
    # 5. Update the index for the next run.
    old_triples = sum(index.files[g].get("triples", 0) for g in dirty if g in index.files)
    for g in dirty:
        index.subjects.pop(g, None)
        index.types.pop(g, None)
        index.files.pop(g, None)
    for refs in index.refs.values():
        refs -= dirty
    index.subjects.update(new_subjects)
    index.types.update(new_types)
    for o, gs in raw_refs.items():
        if not o.startswith(VOCAB):
            index.refs.setdefault(o, set()).update(gs)
    index.same_as = [t for t in index.same_as if t[2] not in dirty] + new_same
    for f in todo:
        n = counts.get(f.graph.value, 0)
        index.files[f.graph.value] = {"path": str(f.path), "stat": _stat(f.path), "triples": n}
    index.triples = index.triples - old_triples + fresh_triples
    index.results = results
    _write_index(cache_path, index)
    return ValidationReport(results=results, triples=index.triples)


def _anchor_text(focus_node: str) -> str:
    m = re.match(r"_:\S+ \(in (.*)\)$", focus_node)
    return m.group(1) if m else focus_node
