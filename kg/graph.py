"""The Python API for notebooks and scripts: ``kg.open()`` and the :class:`KnowledgeGraph` handle.

One small surface over the subsystems, documented and stable: named queries and SPARQL
(rows that turn into records or a pandas DataFrame), networks as networkx graphs, brokerage,
structural holes and centrality as tables, and everything the sources say about one
organisation. The CLI and the API routes call the same functions underneath.

pandas is optional (``pip install 'integration-kg[pandas]'``): without it
:meth:`Rows.to_records` works and :meth:`Rows.to_pandas` says what to install.

Examples
--------
>>> import kg
>>> g = kg.open()
>>> funders = g.query("funders-of", org="lu-asti")
>>> "Government of Luxembourg" in set(funders.column("funder_label"))
True
>>> net = g.network("membership")
>>> net.number_of_nodes() > 10
True
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.settings import Settings, get_settings

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

    from kg.sparql.backend import Backend
    from kg.summary import GraphInfo

__all__ = ["KnowledgeGraph", "Rows", "open_graph"]


@dataclass
class Rows:
    """Rows of an answer: a sequence of dicts of plain values, with the column order.

    Attributes
    ----------
    columns : list of str
        Column names in the query's order.
    rows : list of dict
        One dict per row; ``None`` where the source states nothing.
    notes : list of str
        What the numbers rest on (conventions, samples), where the answer has any.
    """

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __getitem__(self, i: int) -> dict[str, Any]:
        return self.rows[i]

    def __repr__(self) -> str:
        return f"<Rows: {len(self.rows)} rows × {len(self.columns)} columns {self.columns}>"

    def column(self, name: str) -> list[Any]:
        """Return the values of one column, in row order."""
        if name not in self.columns:
            raise KeyError(f"no column {name!r}; columns: {', '.join(self.columns)}")
        return [r.get(name) for r in self.rows]

    def to_records(self) -> list[dict[str, Any]]:
        """Return the rows as a list of dicts (every column present)."""
        return [{c: r.get(c) for c in self.columns} for r in self.rows]

    def to_pandas(self) -> pd.DataFrame:
        """Return the rows as a pandas DataFrame with the columns in order.

        Raises
        ------
        ImportError
            pandas is not installed (``pip install 'integration-kg[pandas]'``).
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "to_pandas needs pandas: pip install 'integration-kg[pandas]'"
            ) from exc
        return pd.DataFrame.from_records(self.to_records(), columns=self.columns)


class KnowledgeGraph:
    """A handle on the graph: the shipped data (plus folders of your own), a store or an endpoint.

    Build it with :func:`kg.open`. Every method runs on the same backend, opened once.

    Parameters
    ----------
    backend : Backend
        Where queries run.
    settings : Settings
        The settings the backend was opened with.
    """

    def __init__(self, backend: Backend, settings: Settings) -> None:
        self.backend = backend
        self.settings = settings

    def __repr__(self) -> str:
        return f"<KnowledgeGraph on {type(self.backend).__name__}>"

    # ---------------------------------------------------------------------------- questions

    def queries(self) -> Rows:
        """List the named queries with their titles and parameters."""
        from kg.sparql.named import load_queries

        rows = [
            {
                "name": q.name,
                "title": q.title,
                "params": ", ".join(
                    f"{p.name}{'' if p.required else '?'}:{p.type}" for p in q.params
                ),
            }
            for q in load_queries(self.settings).values()
        ]
        return Rows(["name", "title", "params"], rows)

    def query(self, name: str, **params: Any) -> Rows:
        """Run a named query of ``queries/`` with its parameters (as ``kg query run`` does).

        Parameters
        ----------
        name : str
            The query's name, e.g. ``"funders-of"`` (see :meth:`queries`).
        **params
            Parameter values: organisations, programmes and countries by name, acronym, slug,
            CURIE or IRI (``org="asti"``, ``country_code="Greece"``).

        Returns
        -------
        Rows
            The answer.
        """
        from kg.entities.resolve import resolver
        from kg.sparql.named import rows_as_dicts, run_named

        result = run_named(
            name,
            params,
            backend=self.backend,
            settings=self.settings,
            resolve=resolver(self.backend),
        )
        return Rows(list(result.columns), rows_as_dicts(result))

    def sparql(self, text: str) -> Rows:
        """Run any SELECT query (the project's prefixes ``mi:``, ``actor:``... predeclared)."""
        from kg.sparql.named import rows_as_dicts, with_default_prefixes

        result = self.backend.select(with_default_prefixes(text))
        return Rows(list(result.columns), rows_as_dicts(result))

    def info(self) -> GraphInfo:
        """Count nodes by class and organisations by kind and country (``kg info``)."""
        from kg.summary import graph_info

        return graph_info(self.backend)

    def profile(self, org: str) -> dict[str, Any]:
        """Return everything the sources say about an organisation, each statement with its quote.

        Parameters
        ----------
        org : str
            Slug (``lu-asti``), CURIE or IRI.
        """
        from kg.entities.profile import organisation_profile

        return organisation_profile(org, backend=self.backend)

    # ---------------------------------------------------------------------------- networks

    def network(
        self,
        name: str = "all",
        *,
        year: int | None = None,
        start: int | None = None,
        end: int | None = None,
        dated_only: bool = False,
        countries: Sequence[str] | None = None,
    ) -> nx.Graph:
        """Return a network of the graph as a networkx graph.

        Parameters
        ----------
        name : str
            ``funding``, ``funding-programmes``, ``membership``, ``partnership``, ``referral``,
            ``placement``, ``revenue``, ``all`` (every relation), ``org-programme``,
            ``org-umbrella``.
        year, start, end : int, optional
            Relations whose stated period overlaps the year or the window; relations that
            state no period are kept unless ``dated_only``.
        dated_only : bool
            Keep only relations with a stated period.
        countries : sequence of str, optional
            Keep the nodes whose stated country is one of these codes (``["LU"]``).

        Returns
        -------
        networkx.Graph
            With the node attributes ``label``, ``kind``, ``country``, ``position`` and
            ``position_level``, and the quotes and sources on each edge.
        """
        from kg.network.projection import project

        g = project(
            name, year=year, start=start, end=end, dated_only=dated_only, backend=self.backend
        )
        if countries:
            wanted = {c.upper() for c in countries}
            g = g.subgraph(v for v, c in g.nodes(data="country") if str(c).upper() in wanted)
            g = g.copy()
        return g

    def _metrics(self, metric: str, network: str, **kwargs: Any) -> Rows:
        from kg.network.view import network_metrics

        result = network_metrics(network, metric, backend=self.backend, **kwargs)
        return Rows(list(result["columns"]), list(result["rows"]), list(result.get("notes", [])))

    def brokerage(self, network: str = "all", *, group: str = "kind", **window: Any) -> Rows:
        """Gould–Fernandez brokerage roles per node, with sna's expected values and z-scores.

        Parameters
        ----------
        network : str
            A network name (see :meth:`network`).
        group : {"kind", "country", "position"}
            The partition the roles are counted against.
        **window
            ``year``, ``start``, ``end``, ``dated_only`` as for :meth:`network`.

        Returns
        -------
        Rows
            The columns of ``kg metrics brokerage --format json`` plus ``kind`` and ``country``.

        References
        ----------
        .. [1] R. V. Gould and R. M. Fernandez, "Structures of mediation: a formal approach to
           brokerage in transaction networks", Sociological Methodology 19 (1989) 89–126.
        """
        return self._metrics("brokerage", network, group=group, **window)

    def structural_holes(self, network: str = "all", **window: Any) -> Rows:
        """Burt's constraint, effective size, efficiency and hierarchy per node.

        References
        ----------
        .. [1] R. S. Burt, Structural Holes: The Social Structure of Competition, Harvard
           University Press, 1992.
        """
        return self._metrics("structural-holes", network, **window)

    def centrality(self, network: str = "all", **window: Any) -> Rows:
        """Degree, betweenness, closeness, eigenvector and PageRank per node.

        References
        ----------
        .. [1] U. Brandes, "A faster algorithm for betweenness centrality", Journal of
           Mathematical Sociology 25 (2001) 163–177.
        """
        return self._metrics("centrality", network, **window)

    def export(
        self, network: str | nx.Graph, path: str | Path, fmt: str | None = None, **kwargs: Any
    ) -> Path:
        """Write a network to a file or a figure (format from ``fmt`` or the suffix).

        Parameters
        ----------
        network : str or networkx.Graph
            A network name (see :meth:`network`), or a graph returned by :meth:`network` (or a
            subgraph of one), written as it is.
        path : path
            The file to write; its folder must exist.
        fmt : str, optional
            ``svg``, ``png``, ``pdf``, ``graphml``, ``gexf``, ``csv``, ``json``, ``cyjs`` or
            ``jsonld``.
        **kwargs
            ``year``, ``start``, ``end``, ``dated_only`` (the window) and ``countries`` (as for
            :meth:`network`), ``title`` and ``color_by`` (figures).

        Returns
        -------
        Path
            The file written.
        """
        from kg.entities.profile import vocab_labels
        from kg.export import FIGURE_FORMATS, export_network

        window = {
            k: kwargs.pop(k)
            for k in ("year", "start", "end", "dated_only", "countries")
            if k in kwargs
        }
        if isinstance(network, str):
            g = self.network(network, **window)
        elif window:
            raise TypeError(f"a graph is exported as it is: drop {', '.join(sorted(window))}")
        else:
            g = network
        kind = (fmt or Path(path).suffix.lstrip(".")).lower()
        labels = vocab_labels(backend=self.backend) if kind in FIGURE_FORMATS else None
        return export_network(g, path, fmt, labels=labels, **kwargs)


def open_graph(
    *,
    data_dirs: Sequence[str | Path] = (),
    endpoint: str | None = None,
    store: str | Path | None = None,
    settings: Settings | None = None,
) -> KnowledgeGraph:
    """Open the graph: the shipped data, plus your folders, or a persisted store, or an endpoint.

    Available as ``kg.open``.

    Parameters
    ----------
    data_dirs : sequence of path
        Folders of your own Turtle files, loaded beside the shipped graph.
    endpoint : str, optional
        A SPARQL 1.1 endpoint that holds the graph (``kg upload`` puts it there).
    store : path, optional
        A store built by ``kg build --store PATH``.
    settings : Settings, optional
        Start from these settings instead of the ``KG_*`` environment variables.

    Returns
    -------
    KnowledgeGraph
        The handle; the graph is loaded once, when it is opened.
    """
    from kg.sparql.backend import open_backend

    s = settings or get_settings()
    changes: dict[str, Any] = {}
    if data_dirs:
        dirs = tuple(Path(d).expanduser().resolve() for d in data_dirs)
        changes["extra_data_dirs"] = (*s.extra_data_dirs, *dirs)
    if endpoint:
        changes["sparql_endpoint"] = endpoint
    if store is not None:
        changes["store_path"] = Path(store).expanduser().resolve()
    s = replace(s, **changes) if changes else s
    return KnowledgeGraph(open_backend(s), s)
