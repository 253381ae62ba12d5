"""Pictures of networks: the seeded layout, the report figure, and the shared palette.

- :mod:`kg.viz.layout`: deterministic positions (igraph Fruchterman–Reingold per component).
- :mod:`kg.viz.figure`: SVG/PNG/PDF figures with title and legend (matplotlib).
- :mod:`kg.viz.palette`: the colours, read from ``palette.json``, which the explorer bundles too.
"""

__all__: list[str] = []
