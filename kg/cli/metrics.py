"""``kg metrics`` and ``kg report``: network metrics from the command line.

Mount in :mod:`kg.cli` with::

    from kg.cli.metrics import metrics_app, report_app

    app.add_typer(metrics_app, name="metrics")
    app.add_typer(report_app, name="report")

Every command reads either a user network (``--edges FILE [--groups FILE] [--undirected]``)
or a projection of the knowledge graph (``--network NAME --group ATTR [--year Y | --from Y
--to Y]``, through :func:`kg.network.projection.project`), computes one :mod:`kg.metrics` function
and prints a table, CSV or JSON (a list of row objects). Errors print one line on stderr and
exit with status 2.
"""

# networkx naming: G for a graph, N for its order, A for an adjacency matrix.
# ruff: noqa: N803, N806

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import networkx as nx
import typer

from kg.cli.render import (
    DataOpt,
    Format,
    FormatOpt,
    backend,
    cell_text,
    err,
    errors,
    render_rows,
    warn,
)
from kg.cli.render import out as render_out
from kg.exceptions import KGError

__all__ = ["metrics_app", "report_app"]

metrics_app = typer.Typer(
    help="Network metrics: Gould-Fernandez brokerage, Burt's structural holes, centrality.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
report_app = typer.Typer(
    help="Reports that explain the metrics with the paths behind them.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@metrics_app.callback()
def _metrics_root() -> None:
    """Compute brokerage roles, structural holes or centrality for a network."""


@report_app.callback()
def _report_root() -> None:
    """Explain metrics with the 2-paths behind them."""


class Level(StrEnum):
    """Which brokerage rows to print."""

    node = "node"
    group = "group"
    graph = "graph"


class Missing(StrEnum):
    """What to do with network nodes that lack the group attribute."""

    error = "error"
    drop = "drop"
    unknown = "unknown"


# --------------------------------------------------------------------------- options

EdgesOpt = Annotated[
    Path | None,
    typer.Option("--edges", help="Edges CSV: source,target[,weight].", dir_okay=False),
]
GroupsOpt = Annotated[
    Path | None, typer.Option("--groups", help="Groups CSV: node,group.", dir_okay=False)
]
UndirectedOpt = Annotated[
    bool, typer.Option("--undirected", help="Read the edges as undirected ties.")
]
NetworkOpt = Annotated[
    str | None,
    typer.Option(
        "--network", help="Projection of the graph: funding, membership, partnership, ..."
    ),
]
GroupOpt = Annotated[
    str | None,
    typer.Option("--group", help="Node attribute used as the partition: kind, country, position."),
]
YearOpt = Annotated[int | None, typer.Option("--year", help="Relations in force in this year.")]
FromOpt = Annotated[
    int | None, typer.Option("--from", help="Relations overlapping from this year.")
]
ToOpt = Annotated[int | None, typer.Option("--to", help="Relations overlapping up to this year.")]
MissingOpt = Annotated[
    Missing,
    typer.Option(
        "--missing",
        help="Network nodes without the group attribute: error, drop them, or group them "
        "as 'unknown'.",
    ),
]


class _UsageError(KGError):
    """A bad combination of options."""


def _warn_many(messages: list[str], limit: int = 5) -> None:
    for m in messages[:limit]:
        warn(m)
    if len(messages) > limit:
        warn(f"... and {len(messages) - limit} more nodes with a position not assessed for them")


# --------------------------------------------------------------------------- input


def _project(name: str, year: int | None, start: int | None, end: int | None) -> nx.Graph:
    from kg.network.projection import project

    return project(name, year=year, start=start, end=end, backend=backend())


def _load(
    *,
    edges: Path | None,
    groups: Path | None,
    undirected: bool,
    network: str | None,
    group: str | None,
    year: int | None,
    start: int | None,
    end: int | None,
    need_groups: bool,
    missing: Missing = Missing.error,
) -> tuple[nx.Graph, str | None, bool]:
    """Return ``(graph, group attribute, from_network)`` for either input style."""
    from kg.metrics.io import read_network

    if edges is not None and network is not None:
        raise _UsageError("give either --edges FILE (with --groups) or --network NAME, not both")
    if edges is None and network is None:
        # The useful default: the whole multiplex graph, partitioned by kind of organisation.
        network = "all"
        if need_groups and group is None:
            group = "kind"
        err.print("using --network all --group kind (the defaults)", markup=False)
    if edges is not None:
        for flag, value in (("--group", group), ("--year", year), ("--from", start), ("--to", end)):
            if value is not None:
                raise _UsageError(f"{flag} applies to --network; with --edges use --groups FILE")
        if need_groups and groups is None:
            raise _UsageError("--groups FILE is required with --edges for this command")
        G = read_network(edges, groups, undirected=undirected)
        return G, ("group" if groups is not None else None), False
    if groups is not None or undirected:
        raise _UsageError("--groups and --undirected apply to --edges, not --network")
    if year is not None and (start is not None or end is not None):
        raise _UsageError("give --year or --from/--to, not both")
    if need_groups and group is None:
        raise _UsageError("--group ATTR is required with --network (kind, country, position)")
    G = _project(network or "", year, start, end)
    if G.is_multigraph():
        # The multiplex "all" network keeps one edge per relation; the metrics need one tie
        # per ordered pair (sna would otherwise count the parallel rows in its density).
        parallel = G.number_of_edges()
        G = nx.DiGraph(G) if G.is_directed() else nx.Graph(G)
        warn(
            f"{network!r} has parallel edges (one per relation); collapsed "
            f"{parallel} edges into {G.number_of_edges()} ties"
        )
    if group is not None:
        lacking = [v for v, g in G.nodes(data=group) if g is None]
        if lacking:
            if missing is Missing.error:
                raise _UsageError(
                    f"{len(lacking)} of {G.number_of_nodes()} nodes have no {group!r} "
                    f"(e.g. {_label(G, lacking[0])}); use --missing drop or --missing unknown"
                )
            if missing is Missing.drop:
                G = G.copy()
                G.remove_nodes_from(lacking)
                warn(f"dropped {len(lacking)} nodes without {group!r}")
            else:
                G = G.copy()
                nx.set_node_attributes(G, dict.fromkeys(lacking, "unknown"), group)
                warn(f"{len(lacking)} nodes without {group!r} grouped as 'unknown'")
    return G, group, True


def _label(G: nx.Graph, v: Any) -> str:
    label = G.nodes[v].get("label")
    return str(label) if label else str(v)


def _position_warnings(G: nx.Graph, group: str | None, nodes: Sequence[Any]) -> list[str]:
    """Warn where a position partition rests on a kind- or country-level assessment."""
    if group != "position":
        return []
    out = []
    for v in nodes:
        level = G.nodes[v].get("position_level")
        if level in (None, "organisation"):
            continue
        if level == "none":
            out.append(
                f"{_label(G, v)}: no position assessed (grouped as {G.nodes[v]['position']!r})"
            )
        else:
            out.append(
                f"{_label(G, v)}: position {G.nodes[v].get('position')!r} was assessed at "
                f"{level} level, not for this organisation"
            )
    return out


# --------------------------------------------------------------------------- output


def _emit(
    rows: list[dict[str, Any]],
    fmt: Format,
    *,
    title: str = "",
    columns: Sequence[str] | None = None,
    caption: str = "",
) -> None:
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.table and "label" in cols and "node" in cols:
        cols.remove("node")  # IRIs are unreadable in a terminal; CSV and JSON keep them
    render_rows(rows, cols, fmt, title=title, caption=caption)


def _with_labels(G: nx.Graph, rows: list[dict[str, Any]], from_network: bool) -> None:
    if not from_network:
        return
    for row in rows:
        label = _label(G, row["node"])
        items = list(row.items())
        row.clear()
        row.update([items[0], ("label", label), *items[1:]])


def _run(fn: Callable[[], None]) -> None:
    with errors():
        fn()


# --------------------------------------------------------------------------- commands


@metrics_app.command("brokerage")
def brokerage_cmd(
    edges: EdgesOpt = None,
    groups: GroupsOpt = None,
    undirected: UndirectedOpt = False,
    network: NetworkOpt = None,
    group: GroupOpt = None,
    year: YearOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    fmt: FormatOpt = Format.table,
    level: Annotated[
        Level, typer.Option("--level", help="node rows, group expectations, or graph totals.")
    ] = Level.node,
    sort: Annotated[
        str | None, typer.Option("--sort", help="Sort node rows by this role's count.")
    ] = None,
    top: Annotated[int | None, typer.Option("--top", help="Print only the first N rows.")] = None,
    missing: MissingOpt = Missing.error,
    data: DataOpt = None,
) -> None:
    """Gould-Fernandez brokerage roles with sna's expected values and z-scores."""

    def go() -> None:
        from kg.metrics.brokerage import ROLES, brokerage

        if sort is not None and sort not in ROLES:
            raise _UsageError(f"--sort must be one of {', '.join(ROLES)}")
        G, attr, from_net = _load(
            edges=edges,
            groups=groups,
            undirected=undirected,
            network=network,
            group=group,
            year=year,
            start=start,
            end=end,
            need_groups=True,
            missing=missing,
        )
        res = brokerage(G, attr or "group")
        if level is Level.graph:
            g = res.graph
            _emit(
                res.graph_rows(),
                fmt,
                title="Brokerage, graph level",
                caption=f"N={g.n_nodes}, m={g.m_rows}, density={cell_text(g.density)}",
            )
            return
        if level is Level.group:
            _emit(res.group_rows(), fmt, title="Brokerage expectations per group")
            return
        rows = res.to_rows()
        # "The top N" only means something in some order: by default, the most brokered pairs.
        order = sort if sort is not None else "total"
        rows.sort(key=lambda r: (-r[order], -(r[f"z_{order}"] or float("-inf"))))
        if top is not None:
            rows = rows[:top]
        _with_labels(G, rows, from_net)
        _warn_many(_position_warnings(G, attr, [r["node"] for r in rows]))
        if fmt is Format.table:
            # One "count (z)" cell per role keeps the table readable in 80 columns.
            name = "label" if from_net else "node"
            short = [(f"{role[:5]} (z)", role) for role in ROLES]
            rows = [
                {
                    name: r[name],
                    "group": r["group"],
                    **{h: f"{r[role]} ({cell_text(r[f'z_{role}'])})" for h, role in short},
                }
                for r in rows
            ]
        _emit(
            rows,
            fmt,
            title="Gould-Fernandez brokerage",
            caption="count (z); z = (count - expected) / sd under sna's null model, – where sd = 0",
        )

    _run(go)


@metrics_app.command("structural-holes")
def structural_holes_cmd(
    edges: EdgesOpt = None,
    groups: GroupsOpt = None,
    undirected: UndirectedOpt = False,
    network: NetworkOpt = None,
    group: GroupOpt = None,
    year: YearOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    fmt: FormatOpt = Format.table,
    weighted: Annotated[
        bool, typer.Option("--weighted", help="Use the 'weight' column/attribute as tie strength.")
    ] = False,
    top: Annotated[int | None, typer.Option("--top", help="Print only the first N rows.")] = None,
    data: DataOpt = None,
) -> None:
    """Burt's constraint, effective size, efficiency and hierarchy."""

    def go() -> None:
        from kg.metrics.structural_holes import structural_holes

        G, _, from_net = _load(
            edges=edges,
            groups=groups,
            undirected=undirected,
            network=network,
            group=group,
            year=year,
            start=start,
            end=end,
            need_groups=False,
        )
        rows = structural_holes(G, weight="weight" if weighted else None).to_rows()
        if top is not None:
            rows = rows[:top]
        _with_labels(G, rows, from_net)
        _emit(
            rows,
            fmt,
            title="Burt's structural holes",
            caption="– : undefined (isolate; hierarchy needs 2+ contacts)",
        )

    _run(go)


@metrics_app.command("centrality")
def centrality_cmd(
    edges: EdgesOpt = None,
    groups: GroupsOpt = None,
    undirected: UndirectedOpt = False,
    network: NetworkOpt = None,
    group: GroupOpt = None,
    year: YearOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    fmt: FormatOpt = Format.table,
    measures: Annotated[
        str,
        typer.Option("--measures", help="Comma-separated: degree,betweenness,closeness,..."),
    ] = "degree,betweenness,closeness,eigenvector,pagerank",
    weighted: Annotated[
        bool,
        typer.Option(
            "--weighted", help="Use 'weight' as strength (degree, eigenvector, PageRank)."
        ),
    ] = False,
    k: Annotated[
        int | None, typer.Option("--k", help="Sampled betweenness from K sources.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the sample.")] = None,
    backend: Annotated[
        str,
        typer.Option("--backend", help="auto, networkx, igraph, numba or a networkx backend."),
    ] = "auto",
    top: Annotated[int | None, typer.Option("--top", help="Print only the first N rows.")] = None,
    data: DataOpt = None,
) -> None:
    """Degree, betweenness (raw and normalised), closeness, eigenvector and PageRank."""

    def go() -> None:
        from kg.metrics.centrality import centrality

        G, _, from_net = _load(
            edges=edges,
            groups=groups,
            undirected=undirected,
            network=network,
            group=group,
            year=year,
            start=start,
            end=end,
            need_groups=False,
        )
        wanted = [m.strip() for m in measures.split(",") if m.strip()]
        table = centrality(
            G,
            wanted,
            weight="weight" if weighted else None,
            k=k,
            seed=seed,
            backend=backend,
        )
        rows = table.to_rows()
        if top is not None:
            rows = rows[:top]
        _with_labels(G, rows, from_net)
        impl = "; ".join(f"{m}: {i}" for m, i in table.implementations.items())
        if fmt is not Format.table:
            err.print(f"implementations: {impl}", markup=False)
        for m, note in table.notes.items():
            if note.startswith("not computed"):
                warn(f"{m} {note}")
        _emit(rows, fmt, title="Centrality", caption=f"implementations: {impl}")

    _run(go)


@report_app.command("brokers")
def brokers_cmd(
    edges: EdgesOpt = None,
    groups: GroupsOpt = None,
    undirected: UndirectedOpt = False,
    network: NetworkOpt = None,
    group: GroupOpt = None,
    year: YearOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    top: Annotated[int, typer.Option("--top", help="Brokers per role.", min=1)] = 3,
    paths: Annotated[int, typer.Option("--paths", help="2-paths shown per broker.", min=1)] = 10,
    fmt: Annotated[
        Format, typer.Option("--format", help="table (readable text) or json.")
    ] = Format.table,
    missing: MissingOpt = Missing.error,
    data: DataOpt = None,
) -> None:
    """For the top brokers of each role, the 2-paths they broker, with labels."""

    def go() -> None:
        from kg.metrics.brokerage import ROLES, broker_paths, brokerage

        G, attr, _ = _load(
            edges=edges,
            groups=groups,
            undirected=undirected,
            network=network,
            group=group,
            year=year,
            start=start,
            end=end,
            need_groups=True,
            missing=missing,
        )
        attr = attr or "group"
        res = brokerage(G, attr)
        report: list[dict[str, Any]] = []
        warned: set[Any] = set()
        for c, role in enumerate(ROLES[:5]):
            order = sorted(
                (r for r in range(len(res.node_list)) if res.raw_counts[r, c] > 0),
                key=lambda r, c=c: (-res.raw_counts[r, c], -_nan_low(res.z[r, c])),
            )[:top]
            for rank, r in enumerate(order, start=1):
                v = res.node_list[r]
                shown = broker_paths(G, attr, v, role=role, limit=paths)
                involved = [v] + [x for p in shown for x in (p.source, p.target)]
                warnings = _position_warnings(G, attr, list(dict.fromkeys(involved)))
                report.append(
                    {
                        "role": role,
                        "rank": rank,
                        "node": v,
                        "label": _label(G, v),
                        "group": res.group_of[r],
                        "count": int(res.raw_counts[r, c]),
                        "expected": _num(res.expected[r, c]),
                        "z": _num(res.z[r, c]),
                        "paths": [
                            {
                                "source": p.source,
                                "source_label": _label(G, p.source),
                                "source_group": G.nodes[p.source][attr],
                                "target": p.target,
                                "target_label": _label(G, p.target),
                                "target_group": G.nodes[p.target][attr],
                            }
                            for p in shown
                        ],
                        "warnings": warnings,
                    }
                )
                for x in dict.fromkeys(involved):
                    if x not in warned:
                        warned.add(x)
                        for w in _position_warnings(G, attr, [x]):
                            warn(w)
        if fmt is Format.json:
            _emit(report, fmt)
            return
        out = render_out()
        if not report:
            out.print("No node brokers any pair (no open 2-path).", markup=False)
        current = None
        for item in report:
            if item["role"] != current:
                current = item["role"]
                out.print(f"\n{current.upper()}", style="bold", markup=False)
            z = cell_text(item["z"])
            out.print(
                f"  {item['rank']}. {item['label']} ({item['group']}): {item['count']} pairs, "
                f"expected {cell_text(item['expected'])}, z {z}",
                markup=False,
            )
            for p in item["paths"]:
                out.print(
                    f"       {p['source_label']} ({p['source_group']}) -> {item['label']} -> "
                    f"{p['target_label']} ({p['target_group']})",
                    markup=False,
                )
            if item["count"] > len(item["paths"]):
                out.print(f"       … {item['count'] - len(item['paths'])} more", markup=False)

    _run(go)


def _num(x: float) -> float | None:
    from kg.metrics._graph import to_float_or_none

    return to_float_or_none(x)


def _nan_low(x: float) -> float:
    return float("-inf") if x != x else float(x)
