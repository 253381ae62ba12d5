"""The W3C SPARQL 1.1 Protocol test suite against our ``/sparql`` (a real uvicorn server).

The manifest (``../shared/standards/w3c-sparql11/protocol/manifest.ttl``, 34 tests) describes
each test as HTTP requests with the expected status and result format. Its three data files are
loaded into a persisted Oxigraph store, each as the named graph its ``ut:graphData`` label names,
and the server opens that store (``KG_STORE``).

- The 20 query tests are run as written (method, path, headers, body in its declared encoding)
  and must all pass: status class, result format (``boolean``, ``tabular``, ``RDF``, each parsed
  with pyoxigraph) and the expected boolean.
- The 14 update tests must be refused, as ``api/routes/sparql.py`` documents: 403 (the endpoint is
  read-only), or 415 where the request's media type is neither a form nor a SPARQL body. Only
  their first request is sent: the later ones check the effect of an update that was refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from tests.support.servers import REPO_ROOT, uvicorn_server

SUITE = REPO_ROOT.parent / "shared" / "standards" / "w3c-sparql11" / "protocol"
MANIFEST = SUITE / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

# What this read-only endpoint answers to each update test (documented in api/routes/sparql.py).
UPDATE_REFUSALS = {
    "update_dataset_default_graph": 403,
    "update_dataset_default_graphs": 403,
    "update_dataset_named_graphs": 403,
    "update_dataset_full": 403,
    "update_post_form": 403,
    "update_post_direct": 403,
    "update_base_uri": 403,
    "bad_update_get": 403,
    "bad_multiple_updates": 403,
    "bad_update_wrong_media_type": 415,
    "bad_update_missing_form_type": 415,
    "bad_update_non_utf8": 403,
    "bad_update_syntax": 403,
    "bad_update_dataset_conflict": 403,
}


@dataclass
class Request:
    """One ``ht:Request`` of the manifest, with what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    status_classes: set[int]  # 2, 3, 4...
    result_format: str | None = None
    boolean: bool | None = None


@dataclass
class ProtocolTest:
    """One ``mf:ProtocolTest``: its name, requests and graph data."""

    name: str
    requests: list[Request] = field(default_factory=list)


def _manifest() -> tuple[list[ProtocolTest], dict[str, Path]]:
    if not MANIFEST.is_file():
        pytest.fail(f"the W3C protocol suite is missing: {MANIFEST} (../shared/standards/)")
    g = Graph()
    g.parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests: list[ProtocolTest] = []
    data: dict[str, Path] = {}
    for entry in Collection(g, g.value(manifest, MF.entries)):
        test = ProtocolTest(str(entry).rsplit("#", 1)[-1])
        for gd in g.objects(entry, UT.graphData):
            file = Path(str(g.value(gd, UT.graph)).removeprefix("file://"))
            data[str(g.value(gd, RDFS.label))] = file
        action = g.value(entry, MF.action)
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {
                str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
                for h in Collection(g, g.value(req, HT.headers) or RDF.nil)
            }
            body = None
            if (b := g.value(req, HT.body)) is not None:
                encoding = str(g.value(b, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(b, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            statuses = {int(str(s)[len(HTS)]) for s in g.objects(resp, MF.expectedStatus)}
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            test.requests.append(
                Request(
                    method=str(g.value(req, HT.methodName)),
                    path=str(g.value(req, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    status_classes=statuses,
                    result_format=str(fmt) if fmt is not None else None,
                    boolean=boolean.toPython() if boolean is not None else None,
                )
            )
        tests.append(test)
    return tests, data


TESTS, DATA = _manifest() if MANIFEST.is_file() else ([], {})
QUERY_TESTS = [t for t in TESTS if t.name not in UPDATE_REFUSALS]
UPDATE_TESTS = [t for t in TESTS if t.name in UPDATE_REFUSALS]


def test_the_suite_is_complete():
    """The manifest is read (not skipped): 34 tests, 20 query and 14 update tests."""
    tests, _ = _manifest()
    assert len(tests) == 34
    assert len(QUERY_TESTS) == 20 and len(UPDATE_TESTS) == 14
    assert set(UPDATE_REFUSALS) <= {t.name for t in tests}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("w3c-protocol") / "store"
    store = ox.Store(str(db))
    for label, file in DATA.items():
        store.load(path=str(file), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(label))
    store.flush()
    del store  # the server opens it read-only
    with uvicorn_server({"KG_STORE": str(db)}) as base:
        yield f"{base}/sparql"


def _send(endpoint: str, req: Request) -> httpx.Response:
    # "Each request has a ht:absolutePath value that starts with /sparql/": ours is /sparql.
    url = endpoint + req.path.removeprefix("/sparql/").removeprefix("/sparql")
    return httpx.request(req.method, url, headers=req.headers, content=req.body, timeout=30)


def _check_format(endpoint: str, req: Request, resp: httpx.Response) -> None:
    ctype = resp.headers.get("content-type", "").split(";")[0].strip()
    if req.result_format in ("boolean", "tabular"):
        fmt = ox.QueryResultsFormat.from_media_type(ctype)
        assert fmt is not None, f"not a SPARQL results type: {ctype}"
        result = ox.parse_query_results(resp.content, fmt)
        if req.result_format == "boolean":
            assert isinstance(result, ox.QueryBoolean)
            if req.boolean is not None:
                assert bool(result) is req.boolean
        else:
            assert isinstance(result, ox.QuerySolutions)
            assert list(result)
    elif req.result_format == "RDF":
        fmt = ox.RdfFormat.from_media_type(ctype)
        assert fmt is not None, f"not an RDF type: {ctype}"
        list(ox.parse(resp.content, fmt, base_iri=endpoint))


@pytest.mark.parametrize("test", QUERY_TESTS, ids=lambda t: t.name)
def test_query(endpoint: str, test: ProtocolTest):
    for req in test.requests:
        resp = _send(endpoint, req)
        assert resp.status_code // 100 in req.status_classes, (resp.status_code, resp.text)
        if resp.status_code < 300:
            _check_format(endpoint, req, resp)


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=lambda t: t.name)
def test_update_is_refused(endpoint: str, test: ProtocolTest):
    resp = _send(endpoint, test.requests[0])
    assert resp.status_code == UPDATE_REFUSALS[test.name], resp.text
    assert resp.status_code // 100 == 4


def test_construct_resolves_relative_iris_against_the_endpoint(endpoint: str):
    resp = httpx.post(
        endpoint,
        content=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert resp.status_code == 200, resp.text
    (triple,) = ox.parse(resp.content, ox.RdfFormat.N_TRIPLES)
    assert triple.subject == ox.NamedNode(endpoint.rsplit("/", 1)[0] + "/s")


def test_head_and_service_description(endpoint: str):
    head = httpx.head(endpoint, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("text/turtle")
    assert httpx.head(endpoint, params={"query": "ASK {}"}).status_code == 200
    sd = httpx.get(endpoint, headers={"Accept": "text/turtle"})
    formats = {
        t.object.value
        for t in ox.parse(sd.content, ox.RdfFormat.TURTLE, base_iri=endpoint)
        if t.predicate.value.endswith("#resultFormat")
    }
    assert "http://www.w3.org/ns/formats/JSON-LD" in formats
    assert not any("/data/" in f for f in formats)


def test_form_post_takes_the_dataset_from_the_url(endpoint: str):
    q = "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?t }"
    url = endpoint + "?default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2F"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    yes = httpx.post(url + "data1.rdf", data={"query": q}, headers=form)
    no = httpx.post(url + "data2.rdf", data={"query": q}, headers=form)
    assert yes.json()["boolean"] is True and no.json()["boolean"] is False


def test_non_utf8_query_body_is_415(endpoint: str):
    for charset in ("UTF-16", "ISO-8859-1"):
        r = httpx.post(
            endpoint,
            content="ASK {}".encode(charset),
            headers={"Content-Type": f"application/sparql-query; charset={charset}"},
        )
        assert r.status_code == 415, charset
