"""HTTP routers, one module per resource (``sparql``, ``queries``, ``entities``, ``networks``)."""
