"""Read user networks from CSV files for the metrics.

Formats (UTF-8, comma-separated, header row required, extra columns ignored):

* **edges**: ``source,target`` and optionally ``weight`` (a finite number). One row per
  edge. A repeated edge is an error rather than being merged or summed: sna would count
  the duplicate row twice in its density, a networkx graph cannot, and silently choosing one
  of the two readings would change the z-scores. With ``undirected=True``, ``a,b`` and
  ``b,a`` are the same edge. A row ``a,a`` is a self-loop: it never forms a 2-path but
  counts in the brokerage density, as in sna.
* **groups**: ``node,group``. Every edge endpoint needs a group when the file is given;
  nodes listed here but in no edge are isolates, which count in N (as in sna).

Every problem raises :class:`kg.exceptions.ProjectionError` whose message starts with
``<file>:<line>:`` and names the column.
"""

# networkx naming: G for a graph, N for its order, A for an adjacency matrix.
# ruff: noqa: N803, N806

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from kg.exceptions import ProjectionError

__all__ = ["read_groups", "read_network"]


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` after checking the header; names the file on errors."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ProjectionError(f"{path}: cannot open: {exc.strerror or exc}") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise ProjectionError(
                f"{path}:1: empty file; expected a header with columns {', '.join(required)}"
            ) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ProjectionError(f"{path}:1: cannot read CSV: {exc}") from None
        names = [h.strip() for h in header]
        for col in required:
            if col not in names:
                have = ", ".join(names) or "nothing"
                raise ProjectionError(f"{path}:1: missing column {col!r} (header has: {have})")
        try:
            for row in reader:
                if not row or all(not c.strip() for c in row):
                    continue  # blank line
                # Short rows leave trailing columns empty (reported as empty cells).
                cells = [c.strip() for c in row] + [""] * (len(names) - len(row))
                yield reader.line_num, dict(zip(names, cells, strict=False))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ProjectionError(f"{path}:{reader.line_num}: cannot read CSV: {exc}") from None


def _cell(path: Path, line: int, row: dict[str, str], col: str) -> str:
    value = row.get(col, "")
    if not value:
        raise ProjectionError(f"{path}:{line}: column {col!r} is empty")
    return value


def read_groups(path: str | Path) -> dict[str, str]:
    """Read a ``node,group`` CSV into ``{node: group}`` in file order.

    Parameters
    ----------
    path : str or Path
        The groups file.

    Returns
    -------
    dict
        Node id to group label (both strings).

    Raises
    ------
    kg.exceptions.ProjectionError
        Missing column, empty cell, or a node given two different groups.
    """
    path = Path(path)
    groups: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for line, row in _rows(path, ("node", "group")):
        node = _cell(path, line, row, "node")
        group = _cell(path, line, row, "group")
        if node in groups and groups[node] != group:
            raise ProjectionError(
                f"{path}:{line}: column 'group': node {node!r} already has group "
                f"{groups[node]!r} (line {first_line[node]})"
            )
        groups.setdefault(node, group)
        first_line.setdefault(node, line)
    return groups


def read_network(
    edges: str | Path,
    groups: str | Path | None = None,
    *,
    undirected: bool = False,
) -> nx.Graph:
    r"""Read an edges CSV (and optionally a groups CSV) into a networkx graph.

    Parameters
    ----------
    edges : str or Path
        CSV with columns ``source``, ``target`` and optional ``weight``.
    groups : str or Path, optional
        CSV with columns ``node``, ``group``. When given, every edge endpoint must have a
        group, nodes are ordered as in this file (so groups are numbered by first
        appearance here) and nodes without edges become isolates.
    undirected : bool, optional
        Build an :class:`networkx.Graph` (each edge counts in both directions in the
        brokerage measures) instead of a :class:`networkx.DiGraph`.

    Returns
    -------
    networkx.DiGraph or networkx.Graph
        Node ids are the strings of the files; each node has ``label`` (its id) and, with a
        groups file, ``group``. Edges have ``weight`` when the column exists.

    Raises
    ------
    kg.exceptions.ProjectionError
        Missing column, empty cell, non-numeric or non-finite weight, duplicate edge, an
        endpoint without a group, or no edge at all.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "e.csv").write_text("source,target\na,b\n")
    >>> _ = (d / "g.csv").write_text("node,group\na,X\nb,Y\nc,Y\n")
    >>> G = read_network(d / "e.csv", d / "g.csv")
    >>> list(G.nodes(data="group")), G.number_of_edges()
    ([('a', 'X'), ('b', 'Y'), ('c', 'Y')], 1)
    """
    edges = Path(edges)
    group_map = read_groups(groups) if groups is not None else None
    G: nx.Graph = nx.Graph() if undirected else nx.DiGraph()
    if group_map is not None:
        G.add_nodes_from((v, {"label": v, "group": g}) for v, g in group_map.items())
    seen: dict[tuple[str, str], int] = {}
    for line, row in _rows(edges, ("source", "target")):
        u = _cell(edges, line, row, "source")
        v = _cell(edges, line, row, "target")
        if group_map is not None:
            for col, node in (("source", u), ("target", v)):
                if node not in group_map:
                    raise ProjectionError(
                        f"{edges}:{line}: column {col!r}: node {node!r} has no group in {groups}"
                    )
        key = (u, v) if not undirected or u <= v else (v, u)
        if key in seen:
            arrow = "--" if undirected else "->"
            raise ProjectionError(
                f"{edges}:{line}: duplicate edge {u} {arrow} {v} (first on line {seen[key]}); "
                "aggregate repeated ties into one row with a weight"
            )
        seen[key] = line
        attrs: dict[str, Any] = {}
        if "weight" in row:
            raw = _cell(edges, line, row, "weight")
            try:
                w = float(raw)
            except ValueError:
                raise ProjectionError(
                    f"{edges}:{line}: column 'weight': {raw!r} is not a number"
                ) from None
            if not math.isfinite(w):
                raise ProjectionError(f"{edges}:{line}: column 'weight': {raw!r} is not finite")
            attrs["weight"] = w
        for node in (u, v):
            if node not in G:
                G.add_node(node, label=node)
        G.add_edge(u, v, **attrs)
    if not seen:
        raise ProjectionError(f"{edges}: empty graph: no edge rows after the header (line 1)")
    G.graph["edges_file"] = str(edges)
    if groups is not None:
        G.graph["groups_file"] = str(groups)
    return G
