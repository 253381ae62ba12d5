"""A view of a network, as the explorer shows it, written to a file: ``kg export``'s filters.

:func:`export_view` projects the network, computes what the page computes (positions of the
whole network, degree, betweenness, brokerage, communities), keeps the part the filters select
(:func:`kg.network.subset.select`) and writes it with :func:`kg.export.export_network`. A
figure carries the page's title and subtitle (:func:`kg.network.subset.view_subtitle`) and
draws the part where the page draws it, so that a figure in a report can be regenerated from
the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from kg.exceptions import InvalidParameterError
from kg.export import FIGURE_FORMATS, export_network
from kg.network.catalogue import network_title
from kg.network.clusters import communities
from kg.network.projection import project
from kg.network.subset import select, view_subtitle
from kg.network.view import node_metrics
from kg.viz.layout import layout_positions

__all__ = ["SIZE_OPTIONS", "export_view", "view_figure"]

#: What ``--size`` takes: the explorer's "Size by" options.
SIZE_OPTIONS = (
    "degree",
    "betweenness",
    "brokerage_total",
    "brokerage_coordinator",
    "brokerage_itinerant",
    "brokerage_representative",
    "brokerage_gatekeeper",
    "brokerage_liaison",
    "uniform",
)


def _check(param: str, wanted: Sequence[str], present: set[str], network: str) -> None:
    unknown = [v for v in wanted if v not in present]
    if unknown:
        raise InvalidParameterError(
            param,
            f"--{param} {unknown[0]}: no {param} {unknown[0]!r} in network {network!r} "
            f"(choose from: {', '.join(sorted(present))})",
        )


def export_view(
    network: str,
    path: str | Path,
    fmt: str | None = None,
    *,
    year: int | None = None,
    start: int | None = None,
    end: int | None = None,
    dated_only: bool = False,
    countries: Sequence[str] = (),
    kinds: Sequence[str] = (),
    relations: Sequence[str] = (),
    color_by: str = "kind",
    size_by: str = "degree",
    max_labels: int = 25,
    title: str | None = None,
    backend: Any,
) -> nx.Graph:
    """Write the view of ``network`` the options select; return the graph written.

    Parameters
    ----------
    network : str
        A projection (:data:`kg.network.catalogue.NETWORKS`).
    path, fmt
        Output file and format (:func:`kg.export.export_network`).
    year, start, end, dated_only
        Time window (:func:`kg.network.projection.project`).
    countries, kinds, relations : sequence of str
        Keep only these (empty: all), as the explorer's filters.
    color_by, size_by, max_labels, title
        Figure options (:func:`kg.viz.figure.export_figure`).
    backend : Backend
        Where the graph is read from.
    """
    from kg.entities.profile import vocab_labels

    out = Path(path)
    kind = (fmt or out.suffix.lstrip(".")).lower()
    if size_by not in SIZE_OPTIONS:
        raise InvalidParameterError(
            "size", f"--size {size_by}: unknown; use one of {', '.join(SIZE_OPTIONS)}"
        )
    whole = project(
        network, year=year, start=start, end=end, dated_only=dated_only, backend=backend
    )
    _check(
        "country",
        countries,
        {str(d.get("country") or "-") for _, d in whole.nodes(data=True)},
        network,
    )
    _check("kind", kinds, {str(d.get("kind") or "-") for _, d in whole.nodes(data=True)}, network)
    _check(
        "relation",
        relations,
        {str(d.get("relation") or "relation") for *_, d in whole.edges(data=True)},
        network,
    )
    figure = kind in FIGURE_FORMATS
    if figure:
        # Metrics and positions of the whole network, as the page has them.
        metrics, _ = node_metrics(whole)
        parts = communities(whole)
        for v, d in whole.nodes(data=True):
            d.update(metrics.get(v, {}))
            d["community"] = parts.get(v)
    g = select(whole, countries=countries, kinds=kinds, relations=relations)
    if not figure:
        export_network(g, out, fmt)
        return g
    labels = vocab_labels(backend=backend)
    lo, hi = (year, year) if year is not None else (start, end)
    subtitle = view_subtitle(
        g,
        countries=countries,
        kinds=kinds,
        relations=relations,
        years=(lo, hi) if lo is not None and hi is not None else None,
        color_by=color_by,
        size_by=size_by,
        labels=labels,
    )
    export_network(
        g,
        out,
        fmt,
        title=title or network_title(network),
        color_by=color_by,
        labels=labels,
        size_by="degree" if size_by == "uniform" else size_by,
        max_labels=max_labels,
        subtitle=subtitle,
        positions=layout_positions(whole),
    )
    return g


def view_figure(network: str, fmt: str, **options: Any) -> bytes:
    """Return the figure :func:`export_view` draws, as bytes (for the API's figure route).

    ``fmt`` is one of :data:`kg.export.FIGURE_FORMATS`; ``options`` are those of
    :func:`export_view`. The file is written in a temporary folder that is removed afterwards.
    """
    import tempfile

    if fmt not in FIGURE_FORMATS:
        raise InvalidParameterError(
            "format", f"format {fmt!r}: use one of {', '.join(FIGURE_FORMATS)}"
        )
    with tempfile.TemporaryDirectory(prefix="kg-figure-") as tmp:
        path = Path(tmp) / f"figure.{fmt}"
        export_view(network, path, fmt, **options)
        return path.read_bytes()
