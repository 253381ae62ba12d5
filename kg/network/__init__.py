"""Networks: relations of the graph projected to NetworkX, and views of them for the explorer.

- :mod:`kg.network.projection`: the projections defined by ``queries/projections/*.rq``
  (funding, membership, partnership, ...; ``all`` is the multiplex of every relation).
- :mod:`kg.network.view`: the catalogue of networks on offer (projections and registered
  ones), and a network ready to draw (layout, metrics, labels), cached per window.
"""

__all__: list[str] = []
