"""Static figures of projected networks (SVG, PNG or PDF) for reports, with matplotlib.

Conventions
-----------
- Positions come from :func:`kg.viz.layout.layout_positions` (seeded): the same network gives the
  same picture, and the same one as the explorer page.
- Colours come from :mod:`kg.viz.palette` (``kg/viz/palette.json``, which the explorer page
  bundles too): colour-blind safe, most frequent group first, missing values light grey.
- A figure always has a title, a subtitle with the counts, a legend whose entries are exactly
  the groups drawn (with their counts) and a size key; labels of the best-connected nodes are
  written with a white halo. Sizes are chosen for an A4 landscape page: text is at least 7 pt.
- SVG keeps text as text (``svg.fonttype = "none"``) and carries no date, so that repeated
  exports are identical.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from kg.exceptions import ProjectionError
from kg.viz.layout import LAYOUT_SEED, layout_positions
from kg.viz.palette import (
    DEFAULT_EDGE_COLOUR,
    MISSING_COLOUR,
    MISSING_VALUES,
    NODE_PALETTE,
    OTHER_COLOUR,
    POSITIONS,
    RELATION_COLOURS,
    group_colours,
)

__all__ = [
    "FIGURE_FORMATS",
    "MISSING_COLOUR",
    "NODE_PALETTE",
    "OTHER_COLOUR",
    "RELATION_COLOURS",
    "export_figure",
]

FIGURE_FORMATS = ("svg", "png", "pdf")
_Segment = tuple[tuple[float, float], tuple[float, float]]
_ATTR_TITLES = {
    "kind": "Kind",
    "country": "Country",
    "position": "Typology position (organisation level)",
    "community": "Community (Leiden)",
}


def _value(d: Mapping[str, Any], key: str) -> str:
    v = d.get(key)
    return "-" if v is None or v == "" else str(v)


def _colour_value(d: Mapping[str, Any], key: str) -> str:
    """Return the value a node is filled by: a position only when assessed for the organisation.

    A position stated for a group (a country's or a kind's organisations) is not a fact about
    each member, so it never fills a node (as on the explorer page).
    """
    if key == "position" and d.get("position_level") != "organisation":
        return "-"
    return _value(d, key)


def _label_of(key: str, value: str, labels: Mapping[str, Mapping[str, str]]) -> str:
    if value in MISSING_VALUES:
        return "not assessed" if key == "position" else "not stated"
    names = labels.get(key, {})
    if key == "position":
        return " + ".join(names.get(v, v) for v in value.split("|"))
    if key == "country" and value in names:
        return f"{names[value]} ({value})"
    return names.get(value, value)


def _degrees(g: nx.Graph) -> dict[Any, int]:
    """Count distinct neighbours, in and out together (the page's ``degree``)."""
    if g.is_directed():
        return {v: len(set(g.predecessors(v)) | set(g.successors(v))) for v in g}
    return {v: len(set(g.neighbors(v)) - {v}) for v in g}


def export_figure(
    g: nx.Graph,
    path: str | Path,
    fmt: str | None = None,
    *,
    title: str | None = None,
    color_by: str = "kind",
    size_by: str = "degree",
    labels: Mapping[str, Mapping[str, str]] | None = None,
    max_labels: int = 25,
    seed: int = LAYOUT_SEED,
    size_in: tuple[float, float] = (11.69, 8.27),
    dpi: int = 200,
    subtitle: str | None = None,
    positions: Mapping[Any, tuple[float, float]] | None = None,
) -> Path:
    """Draw ``g`` with a legend and a title and write it as SVG, PNG or PDF.

    Parameters
    ----------
    g : networkx.Graph
        A projection (:func:`kg.network.projection.project`); nodes need ``label`` and the
        ``color_by`` attribute, edges may carry ``relation`` and ``weight``.
    path : str or Path
        Output file; its folder must exist.
    fmt : {"svg", "png", "pdf"}, optional
        Defaults to the suffix of ``path``.
    title : str, optional
        Defaults to ``"<title> network"`` from ``g.graph["title"]`` (set by the projection),
        else from ``g.graph["name"]``.
    color_by : {"kind", "country", "position"}
        Node attribute that colours the nodes.
    size_by : str
        ``"degree"`` (distinct neighbours) or any numeric node attribute.
    labels : mapping, optional
        Readable names of the attribute values (:func:`kg.entities.profile.vocab_labels`).
    max_labels : int
        Label at most this many nodes, the largest first.
    seed : int
        Layout seed.
    size_in : tuple of float
        Figure size in inches (A4 landscape by default).
    dpi : int
        Resolution of PNG output.
    subtitle : str, optional
        What the figure shows (:func:`kg.network.subset.view_subtitle`); defaults to the
        counts, the colour and the size.
    positions : mapping, optional
        Node positions, e.g. those of the whole network when ``g`` is a part of it (so that
        the part is drawn where the explorer draws it); default: a layout of ``g``.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ProjectionError
        Unknown format, missing folder or unknown ``color_by``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patheffects import withStroke

    out = Path(path)
    kind = (fmt or out.suffix.lstrip(".")).lower()
    if kind not in FIGURE_FORMATS:
        raise ProjectionError(
            f"{out}: unknown figure format {kind!r}; use one of {', '.join(FIGURE_FORMATS)}"
        )
    if not out.parent.exists():
        raise ProjectionError(f"{out}: folder {out.parent} does not exist")
    if color_by not in _ATTR_TITLES:
        raise ProjectionError(
            f"unknown color_by {color_by!r}; use one of {', '.join(_ATTR_TITLES)}"
        )
    labels = labels or {}
    name = str(g.graph.get("name") or "network")
    pos = dict(positions) if positions is not None else layout_positions(g, seed=seed)
    degree = _degrees(g)
    metric = (
        degree
        if size_by == "degree"
        else {v: float(d.get(size_by) or 0) for v, d in g.nodes(data=True)}
    )
    top = max(metric.values(), default=0) or 1
    values = {v: _colour_value(d, color_by) for v, d in g.nodes(data=True)}
    colours = group_colours(list(values.values()), key=color_by)

    def colour(v: str) -> str:
        return MISSING_COLOUR if v in MISSING_VALUES else colours.get(v, OTHER_COLOUR)

    with plt.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "kg", "font.size": 8, "font.family": "DejaVu Sans"}
    ):
        fig = plt.figure(figsize=size_in)
        ax = fig.add_axes((0.02, 0.06, 0.70, 0.80))
        ax.set_axis_off()
        ax.set_aspect("equal")
        nodes = list(g.nodes)
        if nodes:
            xs = [pos[v][0] for v in nodes]
            ys = [pos[v][1] for v in nodes]
            pad = 30.0
            ax.set_xlim(min(xs) - pad, max(xs) + pad)
            ax.set_ylim(min(ys) - pad, max(ys) + pad)
        # Edges first, grouped by colour; arrows only where they stay readable.
        relations = Counter(str(d.get("relation") or "relation") for _, _, d in g.edges(data=True))
        multiplex = len(relations) > 1
        by_colour: dict[str, list[_Segment]] = {}
        lines: dict[str, list[_Segment]] = {}  # undirected: partnerships, undirected graphs
        seen: set[tuple[Any, Any]] = set()
        for u, v, d in g.edges(data=True):
            if u == v:
                continue
            c = (
                RELATION_COLOURS.get(str(d.get("relation")), DEFAULT_EDGE_COLOUR)
                if multiplex
                else "#9A9A9A"
            )
            if not g.is_directed() or d.get("relation") == "partnership":
                # The combined network stores a partnership as two opposite arcs: draw one line.
                pair = (u, v) if str(u) <= str(v) else (v, u)
                if pair not in seen:
                    seen.add(pair)
                    lines.setdefault(c, []).append((pos[u], pos[v]))
                continue
            by_colour.setdefault(c, []).append((pos[u], pos[v]))
        for c, segs in lines.items():
            ax.add_collection(LineCollection(segs, colors=c, linewidths=0.7, zorder=1))
        arrows = g.is_directed() and g.number_of_edges() <= 1500
        if arrows:
            for c, segs in by_colour.items():
                for (x0, y0), (x1, y1) in segs:
                    ax.annotate(
                        "",
                        xy=(x1, y1),
                        xytext=(x0, y0),
                        arrowprops={
                            "arrowstyle": "-|>",
                            "color": c,
                            "lw": 0.7,
                            "mutation_scale": 7,
                            "shrinkA": 3,
                            "shrinkB": 5,
                        },
                        zorder=1,
                    )
        else:
            for c, segs in by_colour.items():
                ax.add_collection(LineCollection(segs, colors=c, linewidths=0.6, zorder=1))
        sizes = [12 + 230 * math.sqrt(max(metric[v], 0) / top) for v in nodes]
        ax.scatter(
            [pos[v][0] for v in nodes],
            [pos[v][1] for v in nodes],
            s=sizes,
            c=[colour(values[v]) for v in nodes],
            edgecolors="#FFFFFF",
            linewidths=0.5,
            zorder=2,
        )
        halo = [withStroke(linewidth=2.5, foreground="white")]
        ranked = sorted(nodes, key=lambda v: (-metric[v], str(v)))[: max(max_labels, 0)]
        # Labels never overlap: one whose box meets a box already kept is dropped (largest first).
        renderer = fig.canvas.get_renderer()
        kept: list[Any] = []
        for v in ranked:
            text = str(g.nodes[v].get("label") or v)
            note = ax.annotate(
                text if len(text) <= 40 else text[:38] + "…",
                pos[v],
                xytext=(4, 3),
                textcoords="offset points",
                fontsize=7,
                zorder=3,
                path_effects=halo,
            )
            box = note.get_window_extent(renderer=renderer)
            if any(box.overlaps(b) for b in kept):
                note.remove()
            else:
                kept.append(box)
        # Legend: exactly the groups drawn, with their counts.
        counts = Counter(values.values())
        handles, texts = [], []
        named = [v for v in colours if colours[v] != OTHER_COLOUR]
        others = [v for v in colours if colours[v] == OTHER_COLOUR]
        for v in sorted(named, key=lambda v: (-counts[v], v)):
            handles.append(Line2D([], [], ls="", marker="o", ms=7, mfc=colours[v], mec="#555"))
            texts.append(f"{_label_of(color_by, v, labels)} ({counts[v]})")
        if color_by == "position":
            # Every position is listed, drawn or not, so that an absent one reads as absent.
            for v in POSITIONS:
                if v not in counts:
                    c = group_colours([v], key="position")[v]
                    handles.append(Line2D([], [], ls="", marker="o", ms=7, mfc=c, mec="#555"))
                    texts.append(f"{_label_of(color_by, v, labels)} (0)")
        other = sum(counts[v] for v in others)
        n_other = len(others)
        if other:
            handles.append(Line2D([], [], ls="", marker="o", ms=7, mfc=OTHER_COLOUR, mec="#555"))
            texts.append(f"other ({n_other} values) ({other})")
        missing = sum(n for v, n in counts.items() if v in MISSING_VALUES)
        if missing:
            handles.append(Line2D([], [], ls="", marker="o", ms=7, mfc=MISSING_COLOUR, mec="#555"))
            texts.append(f"{_label_of(color_by, '-', labels)} ({missing})")
        leg = fig.legend(
            handles,
            texts,
            title=_ATTR_TITLES[color_by],
            loc="upper left",
            bbox_to_anchor=(0.73, 0.86),
            frameon=False,
            fontsize=8,
            title_fontsize=9,
            alignment="left",
        )
        if multiplex:
            fig.add_artist(leg)
            fig.legend(
                [
                    Line2D([], [], color=RELATION_COLOURS.get(r, DEFAULT_EDGE_COLOUR), lw=2)
                    for r, _ in relations.most_common()
                ],
                [f"{r} ({n})" for r, n in relations.most_common()],
                title="Relations",
                loc="lower left",
                bbox_to_anchor=(0.73, 0.08),
                frameon=False,
                fontsize=8,
                title_fontsize=9,
                alignment="left",
            )
        size_note = "degree (distinct neighbours)" if size_by == "degree" else size_by
        arrow_note = "; arrows point from source to target" if arrows else ""
        if title is None:
            title = f"{g.graph.get('title') or name.capitalize()} network"
        fig.text(0.02, 0.955, title, fontsize=15, weight="bold")
        fig.text(
            0.02,
            0.915,
            subtitle + arrow_note
            if subtitle
            else f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges · colour: "
            f"{_ATTR_TITLES[color_by].lower()} · size: {size_note}{arrow_note}",
            fontsize=9,
            color="#333333",
        )
        fig.text(
            0.02,
            0.02,
            f"Integration knowledge graph · layout: Fruchterman-Reingold, seed {seed} · every "
            "edge's quote and source are in the GraphML, JSON and JSON-LD exports",
            fontsize=7,
            color="#555555",
        )
        if not nodes:
            ax.text(0.5, 0.5, "No relations to draw", ha="center", va="center", fontsize=12,
                    transform=ax.transAxes)  # fmt: skip
        metadata: dict[str, Any] = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(
            kind, {}
        )
        fig.savefig(out, format=kind, dpi=dpi, metadata=metadata, facecolor="white")
        plt.close(fig)
    return out
