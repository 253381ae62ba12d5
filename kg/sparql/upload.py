"""Upload the graph (ontology, data, derived triples) to a remote store, graph by graph.

Conventions
-----------
- The SPARQL 1.1 Graph Store HTTP Protocol: one ``PUT <graph-store>?graph=<g>`` per named
  graph with an N-Triples body, which replaces that graph (a re-upload is idempotent) and is
  understood by Oxigraph (``/store``), Virtuoso (``/sparql-graph-crud-auth``), Fuseki (``/data``)
  and GraphDB (``/repositories/<id>/rdf-graphs/service``).
- Every file is parsed first (as for a local load), so a bad file stops the upload before
  anything is sent.
- Blank nodes are skolemised (RDF 1.1 Concepts 3.5) into IRIs under :data:`GENID`, one per blank
  node of the loaded store, so no store has to accept blank nodes in an update or merge them
  across requests, and the same node keeps one name in every graph.
- After the upload every graph's triple count is read back (``SELECT (COUNT(*) …) { GRAPH <g>
  … }``) and compared with the local one; a difference is an :class:`~kg.exceptions.UploadError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pyoxigraph as ox

from kg.exceptions import UploadError
from kg.namespaces import BASE_IRI
from kg.settings import Settings, get_settings

__all__ = ["GENID", "GraphCount", "UploadReport", "graph_store_url", "skolemise", "upload_graph"]

#: Namespace of the IRIs that replace blank nodes (RDF 1.1 ``.well-known/genid/``).
GENID = BASE_IRI + ".well-known/genid/"


@dataclass(frozen=True)
class GraphCount:
    """One uploaded graph: its IRI, the triples sent and the triples the store reports."""

    graph: str
    sent: int
    stored: int | None = None


@dataclass
class UploadReport:
    """What :func:`upload_graph` sent, graph by graph."""

    graph_store: str
    graphs: list[GraphCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Number of triples sent."""
        return sum(g.sent for g in self.graphs)


def graph_store_url(endpoint: str) -> str:
    """Guess the Graph Store Protocol URL from a query URL (Oxigraph's and Virtuoso's layouts).

    ``…/query`` becomes ``…/store`` (``oxigraph serve``) and ``…/sparql`` becomes
    ``…/sparql-graph-crud-auth`` (Virtuoso, with authentication).

    Raises
    ------
    UploadError
        Neither layout: the URL must be given (``--graph-store``).
    """
    path = urlsplit(endpoint).path.rstrip("/")
    base = endpoint.split("?", 1)[0].rstrip("/")
    if path.endswith("/query"):
        return base[: -len("/query")] + "/store"
    if path.endswith("/sparql"):
        return base + "-graph-crud-auth"
    raise UploadError(
        f"endpoint {endpoint}: cannot guess its Graph Store Protocol URL; give it (--graph-store)"
    )


def skolemise(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.Literal:
    """Return ``term``, or for a blank node its skolem IRI under :data:`GENID`."""
    if isinstance(term, ox.BlankNode):
        return ox.NamedNode(GENID + term.value)
    return term  # type: ignore[return-value]


def upload_graph(
    endpoint: str | None = None,
    settings: Settings | None = None,
    *,
    graph_store: str | None = None,
    user: str | None = None,
    password: str | None = None,
    auth: str | None = None,
    timeout: float = 300.0,
    verify: bool = True,
) -> UploadReport:
    """Put every graph of the project (ontology, data, derived) into a remote store.

    Parameters
    ----------
    endpoint : str, optional
        The store's query URL (for the counts afterwards); defaults to ``KG_SPARQL_ENDPOINT``.
    settings : Settings, optional
        Where the files are, and the default credentials (``KG_SPARQL_USER``,
        ``KG_SPARQL_PASSWORD``, ``KG_SPARQL_AUTH``).
    graph_store : str, optional
        The Graph Store Protocol URL; by default guessed by :func:`graph_store_url`.
    user, password : str, optional
        HTTP authentication for the uploads and the counts.
    auth : {"basic", "digest"}, optional
        The scheme (Virtuoso's ``/sparql-graph-crud-auth`` wants digest).
    timeout : float
        Seconds allowed for each request.
    verify : bool
        Read every graph's count back and compare it with the triples sent.

    Returns
    -------
    UploadReport
        The graph store URL and, per graph, the triples sent and stored.

    Raises
    ------
    UploadError
        No endpoint, a store that refuses a graph or cannot be reached, or a count that differs.
    """
    import httpx

    from kg.exceptions import KGError
    from kg.loader.load import load_store
    from kg.sparql.backend import RemoteBackend, http_auth

    s = settings or get_settings()
    url = endpoint or s.sparql_endpoint
    if not url:
        raise UploadError("no SPARQL endpoint given (--endpoint or KG_SPARQL_ENDPOINT)")
    target = graph_store or graph_store_url(url)
    user = user or s.sparql_user
    password = password or s.sparql_password
    scheme = auth or s.sparql_auth
    store = load_store(s)  # parses every file before anything is sent
    report = UploadReport(target)
    sent: dict[str, int] = {}
    with httpx.Client(auth=http_auth(user, password, scheme), timeout=timeout) as client:
        for graph in sorted(store.named_graphs(), key=lambda g: g.value):
            if not isinstance(graph, ox.NamedNode):
                continue
            triples = [
                ox.Triple(skolemise(q.subject), q.predicate, skolemise(q.object))
                for q in store.quads_for_pattern(None, None, None, graph)
            ]
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            try:
                resp = client.put(
                    target,
                    params={"graph": graph.value},
                    content=body,
                    headers={"Content-Type": "application/n-triples"},
                )
            except httpx.HTTPError as exc:
                raise UploadError(f"cannot reach the graph store {target}: {exc}") from None
            if resp.status_code >= 300:
                raise UploadError(
                    f"graph {graph.value}: {target} answered {resp.status_code}: "
                    f"{resp.text.strip()[:300]}"
                )
            sent[graph.value] = len(triples)
    if not verify:
        report.graphs = [GraphCount(g, n) for g, n in sent.items()]
        return report
    remote = RemoteBackend(url, user=user, password=password, auth=scheme, timeout=timeout)
    try:
        values = " ".join(f"<{g}>" for g in sent)
        res = remote.select(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    except KGError as exc:
        raise UploadError(f"counting the uploaded graphs at {url} failed: {exc}") from None
    finally:
        remote.close()
    stored = {r["g"].value: int(r["n"].value) for r in res.rows if r.get("g") and r.get("n")}
    report.graphs = [GraphCount(g, n, stored.get(g, 0)) for g, n in sent.items()]
    wrong = [c for c in report.graphs if c.stored != c.sent]
    if wrong:
        first = wrong[0]
        raise UploadError(
            f"{len(wrong)} graph(s) differ after the upload, e.g. {first.graph}: "
            f"{first.sent} triples sent, {first.stored} stored"
        )
    return report
