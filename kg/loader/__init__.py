"""From Turtle files to an Oxigraph store: discovery, parsing with located errors, derivation.

- :mod:`kg.loader.load`: find the ontology, code lists and data files, parse them (one named
  graph per file, ill-typed literals reported as ``file:line``), remove triples repeated across
  files, and derive the shortcuts the queries use.
- :mod:`kg.loader.ondisk`: a persisted store built crash-safely and reopened read-only.
"""

__all__: list[str] = []
