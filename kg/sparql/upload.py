"""Upload the graph (ontology, data, derived triples) to a remote SPARQL store."""

from __future__ import annotations

import pyoxigraph as ox

from kg.exceptions import KGError
from kg.settings import Settings, get_settings

__all__ = ["upload_graph"]


def _update_endpoint(endpoint: str) -> str:
    # Oxigraph's server answers queries at /query and updates at /update; Fuseki and most
    # others accept updates at the query URL or at a URL that must be given explicitly.
    return endpoint[: -len("/query")] + "/update" if endpoint.endswith("/query") else endpoint


def upload_graph(
    endpoint: str | None = None,
    settings: Settings | None = None,
    *,
    update_endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 300.0,
) -> int:
    """Upload the ontology, data and derived graph to a remote store, one named graph per file.

    Every file is parsed first (as for a local load), so a bad file stops the upload before
    anything is sent. Each graph is then replaced with one SPARQL Update request
    (``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }``), which keeps blank nodes of
    one file together and makes a re-upload idempotent.

    Parameters
    ----------
    endpoint : str, optional
        The query URL; defaults to ``KG_SPARQL_ENDPOINT``.
    settings : Settings, optional
        Where the files are, and the default credentials.
    update_endpoint : str, optional
        The SPARQL Update URL; by default ``…/query`` becomes ``…/update`` (Oxigraph's
        layout), else the query URL itself.
    user, password : str, optional
        HTTP basic authentication (default ``KG_SPARQL_USER`` / ``KG_SPARQL_PASSWORD``).
    timeout : float
        Seconds allowed for each request.

    Returns
    -------
    int
        Number of quads uploaded.
    """
    import httpx

    from kg.loader.load import load_store

    s = settings or get_settings()
    url = endpoint or s.sparql_endpoint
    if not url:
        raise KGError("no SPARQL endpoint given (set KG_SPARQL_ENDPOINT)")
    target = update_endpoint or _update_endpoint(url)
    user = user or s.sparql_user
    password = password or s.sparql_password
    store = load_store(s)  # parses every file before anything is sent
    auth = httpx.BasicAuth(user, password or "") if user else None
    total = 0
    with httpx.Client(auth=auth, timeout=timeout) as client:
        for graph in store.named_graphs():
            triples = [
                ox.Triple(q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(None, None, None, graph)
            ]
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            update = f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}}} }}"
            try:
                resp = client.post(
                    target,
                    content=update.encode("utf-8"),
                    headers={"Content-Type": "application/sparql-update; charset=utf-8"},
                )
            except httpx.HTTPError as exc:
                raise KGError(f"cannot reach SPARQL update endpoint {target}: {exc}") from None
            if resp.status_code >= 300:
                raise KGError(
                    f"uploading {graph.value} to {target} failed ({resp.status_code}): "
                    f"{resp.text.strip()[:500]}"
                )
            total += len(triples)
    return total
