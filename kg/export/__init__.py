"""Write a projected network to a file: one entry point, :func:`export_network`, for every format.

Figures (``svg``, ``png``, ``pdf``) are drawn by :func:`kg.viz.figure.export_figure`;
``jsonld`` is written by :func:`kg.export.jsonld.network_jsonld`; ``graphml``, ``gexf``,
``csv``, ``json`` and ``cyjs`` by :mod:`kg.export.files`. ``kg export`` and the API call
:func:`export_network` only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.exceptions import InvalidParameterError, ProjectionError
from kg.export.files import NETWORK_FORMATS, write_network
from kg.export.jsonld import network_jsonld
from kg.viz.figure import FIGURE_FORMATS, export_figure

__all__ = ["EXPORT_FORMATS", "FIGURE_FORMATS", "NETWORK_FORMATS", "export_network"]

#: Every format :func:`export_network` writes.
EXPORT_FORMATS: tuple[str, ...] = (*NETWORK_FORMATS, *FIGURE_FORMATS, "jsonld")


def export_network(
    g: nx.Graph,
    path: str | Path,
    fmt: str | None = None,
    *,
    title: str | None = None,
    color_by: str = "kind",
    labels: dict[str, dict[str, str]] | None = None,
    **figure: Any,
) -> Path:
    """Write ``g`` in any of :data:`EXPORT_FORMATS` (format from ``fmt`` or the suffix).

    Parameters
    ----------
    g : networkx.Graph
        A projection.
    path : str or Path
        Output file; its folder must exist.
    fmt : str, optional
        ``svg``, ``png``, ``pdf``, ``graphml``, ``gexf``, ``csv``, ``json``, ``cyjs`` or
        ``jsonld``; defaults to the suffix of ``path``.
    title, color_by : optional
        For figures (:func:`kg.viz.figure.export_figure`).
    labels : dict, optional
        Readable value names for figure legends (:func:`kg.entities.profile.vocab_labels`);
        slugs are shown without them.
    **figure
        More figure options (``size_by``, ``max_labels``, ``subtitle``, ``positions``) for
        :func:`kg.viz.figure.export_figure`.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    InvalidParameterError
        Unknown format.
    ProjectionError
        Missing folder.
    """
    out = Path(path)
    kind = (fmt or out.suffix.lstrip(".")).lower()
    if kind not in EXPORT_FORMATS:
        raise InvalidParameterError(
            "fmt", f"{out}: unknown format {kind!r}; use one of {', '.join(EXPORT_FORMATS)}"
        )
    if not out.parent.exists():
        raise ProjectionError(f"{out}: folder {out.parent} does not exist")
    if kind in FIGURE_FORMATS:
        return export_figure(
            g, out, kind, title=title, color_by=color_by, labels=labels or {}, **figure
        )
    if kind == "jsonld":
        out.write_text(
            json.dumps(network_jsonld(g), ensure_ascii=False, indent=1, default=str),
            encoding="utf-8",
        )
        return out
    write_network(g, out, kind)
    return out
