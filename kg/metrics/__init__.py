"""Network metrics for the integration knowledge graph: who brokers, between whom, how much.

Functions take a networkx ``Graph`` or ``DiGraph`` (node keys are whatever the projection
or CSV gave) and return result objects with aligned arrays and JSON-ready ``to_rows()``.
Conventions shared by all modules:

* Results are in ``G``'s node order; undefined values are NaN in arrays and ``None`` in rows.
* An undirected graph is read as the fully reciprocated digraph where direction matters
  (brokerage), exactly as R ``sna`` does.
* Self-loops never broker and never constrain; they count only where a reference tool
  counts them (sna's brokerage density, PageRank, eigenvector centrality).
* Multigraphs are refused: the reference tools disagree on what parallel edges mean.

Modules: :mod:`~kg.metrics.brokerage` (Gould & Fernandez roles with sna's z-scores),
:mod:`~kg.metrics.structural_holes` (Burt), :mod:`~kg.metrics.centrality` (networkx
conventions, igraph/numba for large graphs) and :mod:`~kg.metrics.io` (CSV input).
``docs/metrics.md`` has the definitions, the traps in other tools and the benchmarks.
"""

from kg.metrics.brokerage import (
    ROLES,
    SNA_COLUMNS,
    BrokerageResult,
    BrokeredPath,
    GraphBrokerage,
    GroupBrokerage,
    NodeBrokerage,
    broker_paths,
    brokerage,
    brokerage_null_model,
)
from kg.metrics.centrality import (
    DEFAULT_THRESHOLD,
    CentralityResult,
    CentralityTable,
    betweenness,
    centrality,
    closeness,
    degree,
    eigenvector,
    in_degree,
    out_degree,
    pagerank,
)
from kg.metrics.io import read_groups, read_network
from kg.metrics.structural_holes import (
    StructuralHolesResult,
    constraint,
    effective_size,
    efficiency,
    hierarchy,
    local_constraint,
    structural_holes,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "ROLES",
    "SNA_COLUMNS",
    "BrokerageResult",
    "BrokeredPath",
    "CentralityResult",
    "CentralityTable",
    "GraphBrokerage",
    "GroupBrokerage",
    "NodeBrokerage",
    "StructuralHolesResult",
    "betweenness",
    "broker_paths",
    "brokerage",
    "brokerage_null_model",
    "centrality",
    "closeness",
    "constraint",
    "degree",
    "effective_size",
    "efficiency",
    "eigenvector",
    "hierarchy",
    "in_degree",
    "local_constraint",
    "out_degree",
    "pagerank",
    "read_groups",
    "read_network",
    "structural_holes",
]
