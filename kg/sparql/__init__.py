"""SPARQL execution: backends, killable query workers, named queries and query text.

- :mod:`kg.sparql.backend`: the :class:`~kg.sparql.backend.Backend` interface, an embedded
  Oxigraph store (:class:`~kg.sparql.backend.LocalBackend`), a remote endpoint
  (:class:`~kg.sparql.backend.RemoteBackend`) and :func:`~kg.sparql.backend.open_backend`.
- :mod:`kg.sparql.pool`: the pool of worker processes the server runs queries in (time
  limits, row caps, serialised answers); :mod:`kg.sparql.worker` is the worker's entry point
  and :mod:`kg.sparql.sandbox` the seccomp filter that keeps it off the network.
- :mod:`kg.sparql.named`: the library of named queries in ``queries/`` and parameter binding.
- :mod:`kg.sparql.text`: what the server reads from a query's text (form, prefixes, SERVICE),
  VALUES injection, the SPARQL 1.1 rewrite of LATERAL, GROUP_CONCAT columns, BASE.
- :mod:`kg.sparql.upload`: the graph into a remote store (Graph Store Protocol, counts verified).
"""

__all__: list[str] = []
