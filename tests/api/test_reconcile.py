"""``/reconcile`` against the W3C Reconciliation API v0.2's own JSON Schemas and examples.

The schemas and the valid and invalid examples are read from
``../shared/standards/reconciliation-api-0.2/`` (reconciliation-api/specs 8d66bdb), never copied.
Every answer is validated against its schema; every invalid example request gets a 400 whose
message names the problem; the invalid example *responses* are checked to fail the same
validators (so a validator that accepts anything would be caught). Expected organisations come
from the documents (data/ttl/lu/ewsi-citizens-initiatives.ttl: ASTI, "Association de Soutien
aux Travailleurs Immigrés", and Caritas in Luxembourg; ASTI is a member of the Luxembourgian
Refugee Council and funded by the Government of Luxembourg, lines 35 and 187 ff.).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "standards" / "reconciliation-api-0.2"
SCHEMAS = SPEC / "schemas"
EXAMPLES = SPEC / "examples"

if not SCHEMAS.is_dir():  # the suite needs them: fail loudly, never skip
    pytest.fail(f"the Reconciliation API schemas are missing: {SCHEMAS}", pytrace=False)


def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = DRAFT7.create_resource(contents)
        resources.append((contents.get("$id", path.name).rstrip("#"), resource))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(name: str) -> Draft7Validator:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    return Draft7Validator(schema, registry=REGISTRY)


def check(name: str, answer: Any) -> None:
    errors = sorted(validator(name).iter_errors(answer), key=str)
    assert not errors, f"{name}: {errors[0].message} at {list(errors[0].absolute_path)}"


def examples(kind: str, which: str) -> list[Path]:
    return sorted((EXAMPLES / kind / which).glob("*.json"))


@pytest.fixture(scope="module")
def client():
    from api.main import create_app

    with TestClient(create_app(workers=1)) as c:
        yield c


def batch(client: TestClient, queries: dict[str, Any]) -> Any:
    r = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert r.status_code == 200, r.text
    check("reconciliation-result-batch", r.json())
    return r.json()


# -- the validators themselves can fail ------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "schema"),
    [
        ("manifest", "manifest"),
        ("reconciliation-result-batch", "reconciliation-result-batch"),
        ("data-extension-response", "data-extension-response"),
        ("reconciliation-query-batch", "reconciliation-query-batch"),
    ],
)
def test_the_schemas_reject_the_invalid_examples(kind: str, schema: str) -> None:
    invalid = examples(kind, "invalid")
    assert invalid
    v = validator(schema)
    for path in invalid:
        assert not v.is_valid(json.loads(path.read_text())), path.name
    for path in examples(kind, "valid"):
        assert v.is_valid(json.loads(path.read_text())), path.name


# -- manifest ----------------------------------------------------------------------------------


def test_manifest_validates_and_points_here(client: TestClient) -> None:
    r = client.get("/reconcile")
    assert r.status_code == 200
    manifest = r.json()
    check("manifest", manifest)
    assert manifest["versions"] == ["0.2"]
    assert manifest["view"]["url"].endswith("/org/{{id}}")
    assert "/reconcile/preview?id={{id}}" in manifest["preview"]["url"]
    assert r.headers["access-control-allow-origin"] == "*"


def test_no_jsonp(client: TestClient) -> None:
    # v0.2 requires CORS and dropped JSONP: a callback never turns the answer into script.
    r = client.get("/reconcile", params={"callback": "alert"})
    assert r.headers["content-type"].startswith("application/json")
    assert not r.text.startswith("alert")


# -- reconciliation queries -------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["asti", "ASTI", "Association de soutien aux travailleurs immigres"]
)
def test_names_people_type(client: TestClient, typed: str) -> None:
    answer = batch(client, {"q0": {"query": typed, "type": "org:Organization"}})
    best = answer["q0"]["result"][0]
    assert (best["id"], best["name"]) == (
        "lu-asti",
        "Association de Soutien aux Travailleurs Immigrés",
    )
    assert best["match"] is False  # a name is a proposal, never a certain match
    assert best["description"].startswith("proposed")


def test_caritas_luxembourg(client: TestClient) -> None:
    answer = batch(client, {"q0": {"query": "Caritas Luxembourg"}, "q1": {"query": "Caritas"}})
    assert answer["q0"]["result"][0]["id"] == "lu-caritas"
    assert answer["q0"]["result"][0]["description"].startswith("proposed")
    # "Caritas" names organisations of several countries (CH, IT, LU, CZ's alternative label).
    assert answer["q1"]["result"][0]["description"].startswith("ambiguous")
    assert {"ch-caritas", "it-caritas", "lu-caritas"} <= {c["id"] for c in answer["q1"]["result"]}


def test_country_property_keeps_namesakes_apart(client: TestClient) -> None:
    props = [{"pid": "country", "v": "Finland"}]
    answer = batch(client, {"q0": {"query": "British Red Cross", "properties": props}})
    assert "gb-british-red-cross" not in {c["id"] for c in answer["q0"]["result"]}
    answer = batch(
        client, {"q0": {"query": "Red Cross", "properties": [{"pid": "country", "v": "lu"}]}}
    )
    best = answer["q0"]["result"][0]
    assert best["id"] == "lu-red-cross"
    assert {"id": "country_agrees", "value": True} in best["features"]


def test_kind_type_is_a_reason(client: TestClient) -> None:
    answer = batch(client, {"q0": {"query": "ASTI", "type": "kind:foundation"}})
    best = answer["q0"]["result"][0]
    assert best["id"] == "lu-asti"
    assert "kind differs" in best["description"]


def test_unknown_type_names_no_organisation(client: TestClient) -> None:
    answer = batch(client, {"q0": {"query": "ASTI", "type": "DifferentiatedPerson"}})
    assert answer["q0"]["result"] == []


def test_limit(client: TestClient) -> None:
    answer = batch(
        client, {"q0": {"query": "Red Cross", "limit": 2}, "q1": {"query": "Red Cross", "limit": 0}}
    )
    assert len(answer["q0"]["result"]) == 2
    assert answer["q1"]["result"] == []


@pytest.mark.parametrize(
    "path", examples("reconciliation-query-batch", "valid"), ids=lambda p: p.name
)
def test_valid_example_batches_are_answered(client: TestClient, path: Path) -> None:
    queries = json.loads(path.read_text())
    answer = batch(client, queries)
    assert set(answer) == set(queries)


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("empty-properties.json", "q1: needs a 'query' string or at least one property"),
        ("empty-query.json", "q1: needs a 'query' string or at least one property"),
        ("misnamed-property.json", "q0: unknown key 'props'"),
    ],
)
def test_invalid_example_batches_get_400_naming_the_problem(
    client: TestClient, path: str, problem: str
) -> None:
    text = (EXAMPLES / "reconciliation-query-batch" / "invalid" / path).read_text()
    assert not validator("reconciliation-query-batch").is_valid(json.loads(text))
    for r in (
        client.post("/reconcile", data={"queries": text}),
        client.get("/reconcile", params={"queries": text}),
    ):
        assert r.status_code == 400
        assert r.json()["detail"].startswith("parameter 'queries': ")
        assert problem in r.json()["detail"]


@pytest.mark.parametrize(
    ("queries", "problem"),
    [
        ("{not json", "not JSON"),
        ("[" * 100_000, "JSON nested too deeply"),
        ("[1, 2]", "must be a JSON object of queries"),
        ('{"q0": "ASTI"}', "q0: a query must be a JSON object"),
        ('{"q0": {"query": 5}}', "q0: 'query' must be a string"),
        ('{"q0": {"query": "a", "limit": -1}}', "q0: 'limit' must be a number"),
        ('{"q0": {"query": "a", "limit": NaN}}', "q0: 'limit' must be a number"),
        ('{"q0": {"query": "a", "limit": Infinity}}', "q0: 'limit' must be a number"),
        ('{"q0": {"query": "a", "type_strict": "some"}}', "q0: 'type_strict' must be any, should or all"),
        ('{"q0": {"query": "a", "properties": [{"pid": "country"}]}}', "q0: properties[0] must be an object with 'pid' and 'v'"),
        ('{"q0": {"query": "a", "properties": [{"pid": "country", "v": "Atlantis"}]}}', "q0: property 'country': no country matches 'Atlantis'"),
        ('{"q0": {"query": "a", "properties": [{"pid": "kind", "v": {"name": "x"}}]}}', "q0: property 'kind': an entity value needs a string 'id'"),
    ],
)  # fmt: skip
def test_other_invalid_batches(client: TestClient, queries: str, problem: str) -> None:
    r = client.post("/reconcile", data={"queries": queries})
    assert r.status_code == 400
    assert problem in r.json()["detail"], r.json()["detail"]
    assert "Traceback" not in r.text


def test_identifier_property_is_same(client: TestClient) -> None:
    # The shipped graph states no register identifiers: an identifier matches nothing and the
    # name decides (tests/kg/reconcile/test_index.py checks identifier matches on a graph
    # that has them).
    answer = batch(
        client,
        {"q0": {"query": "ASTI", "properties": [{"pid": "identifier", "v": "LU-RCS-F999999"}]}},
    )
    assert answer["q0"]["result"][0]["match"] is False


def test_json_body_errors(client: TestClient) -> None:
    for body, problem in (
        (b"{nope", "body not JSON"),
        (b"[" * 100_000, "nested too deeply"),
        (b"[1]", "body must be a JSON object"),
        (b"\xff", "not UTF-8"),
    ):
        r = client.post("/reconcile", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and problem in r.json()["detail"], r.text


def test_json_body_and_one_query_form(client: TestClient) -> None:
    r = client.post("/reconcile", json={"queries": {"q0": {"query": "ASTI"}}})
    assert r.status_code == 200 and r.json()["q0"]["result"][0]["id"] == "lu-asti"
    r = client.get("/reconcile", params={"query": "ASTI"})
    assert r.status_code == 400 and "queries=" in r.json()["detail"]


# -- suggest, preview, data extension ---------------------------------------------------------


def test_suggest(client: TestClient) -> None:
    r = client.get("/reconcile/suggest/entity", params={"prefix": "ast"})
    check("suggest-entities-response", r.json())
    assert "lu-asti" in {e["id"] for e in r.json()["result"]}
    r = client.get("/reconcile/suggest/type", params={"prefix": "found"})
    check("suggest-types-response", r.json())
    assert [t["id"] for t in r.json()["result"]] == ["kind:foundation"]
    r = client.get("/reconcile/suggest/property", params={"prefix": "coun"})
    check("suggest-properties-response", r.json())
    assert [p["id"] for p in r.json()["result"]] == ["country"]
    all_props = client.get("/reconcile/suggest/property", params={"prefix": ""}).json()["result"]
    later = client.get("/reconcile/suggest/property", params={"prefix": "", "cursor": "2"})
    assert later.json()["result"] == all_props[2:]
    assert (
        client.get("/reconcile/suggest/entity", params={"prefix": "x", "cursor": "-1"}).status_code
        == 400
    )
    bad = client.get("/reconcile/suggest/place", params={"prefix": "x"})
    assert bad.status_code == 400 and "entity, type or property" in bad.json()["detail"]


def test_preview_is_a_self_contained_page(client: TestClient) -> None:
    r = client.get("/reconcile/preview", params={"id": "lu-asti"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Association de Soutien aux Travailleurs Immigrés" in r.text and "ASTI" in r.text
    policy = r.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors *" in policy
    assert "<script" not in r.text and "http" not in r.text.split("</style>")[0]
    # Its one style is allowed by its hash (computed here independently of the route).
    import base64
    import hashlib

    style = r.text.split("<style>")[1].split("</style>")[0]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    missing = client.get("/reconcile/preview", params={"id": "no-such-org"})
    assert missing.status_code == 400 and "no-such-org" in missing.json()["detail"]
    assert client.get("/reconcile/preview").status_code == 400


def test_propose_properties(client: TestClient) -> None:
    r = client.get("/reconcile/properties", params={"type": "org:Organization"})
    check("data-extension-property-proposal", r.json())
    assert {p["id"] for p in r.json()["properties"]} >= {"country", "kind", "funders", "umbrellas"}
    assert (
        len(
            client.get("/reconcile/properties", params={"type": "kind:cso", "limit": "2"}).json()[
                "properties"
            ]
        )
        == 2
    )
    assert client.get("/reconcile/properties").status_code == 400
    unknown = client.get("/reconcile/properties", params={"type": "Person"})
    assert unknown.status_code == 400 and "'Person'" in unknown.json()["detail"]


def extend(client: TestClient, query: dict[str, Any]) -> Any:
    r = client.post("/reconcile", data={"extend": json.dumps(query)})
    assert r.status_code == 200, r.text
    check("data-extension-response", r.json())
    return r.json()


def test_extend_country_kind_funders_umbrellas(client: TestClient) -> None:
    props = [{"id": p} for p in ("country", "kind", "funders", "umbrellas")]
    answer = extend(client, {"ids": ["lu-asti", "no-such-org"], "properties": props})
    asti = answer["rows"]["lu-asti"]
    assert asti["country"] == [{"str": "LU"}]
    assert {"id": "kind:cso", "name": "civil-society organisation / NGO"} in asti["kind"]
    assert {"id": "lu-government", "name": "Government of Luxembourg"} in asti["funders"]
    assert {"id": "lu-refugee-council", "name": "Luxembourgian Refugee Council"} in asti[
        "umbrellas"
    ]
    assert answer["rows"]["no-such-org"] == {p["id"]: [] for p in props}
    assert [m["id"] for m in answer["meta"]] == [p["id"] for p in props]


@pytest.mark.parametrize("path", examples("data-extension-query", "valid"), ids=lambda p: p.name)
def test_valid_example_extensions(client: TestClient, path: Path) -> None:
    query = json.loads(path.read_text())
    assert validator("data-extension-query").is_valid(query)
    # Their properties are another service's: refused by name ...
    r = client.post("/reconcile", data={"extend": json.dumps(query)})
    assert r.status_code == 400 and "unknown property 'variantName'" in r.json()["detail"]
    # ... and the same query with this service's properties is answered.
    ours = {**query, "properties": [{"id": "country"}, {"id": "kind", "settings": {}}]}
    answer = extend(client, ours)
    assert set(answer["rows"]) == set(query["ids"])


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("nope", "not JSON"),
        ('{"ids": "lu-asti", "properties": []}', "'ids' must be a list"),
        ('{"ids": ["lu-asti"]}', "'properties' must be a list"),
        ('{"ids": ["lu-asti"], "properties": [{"id": "country", "settings": 3}]}', "'settings' must be an object"),
    ],
)  # fmt: skip
def test_invalid_extensions(client: TestClient, query: str, problem: str) -> None:
    r = client.get("/reconcile", params={"extend": query})
    assert r.status_code == 400 and problem in r.json()["detail"], r.text
    assert r.json()["detail"].startswith("parameter 'extend': ")


# -- a client flow as OpenRefine makes it ------------------------------------------------------


def test_openrefine_flow(client: TestClient) -> None:
    """Add the service (manifest), reconcile a column in batches of 10, extend the matches."""
    manifest = client.get("/reconcile").json()
    check("manifest", manifest)
    service = manifest["suggest"]["entity"]["service_path"]
    column = ["ASTI", "Caritas Luxembourg", "asti", "Finnish Red Cross", "No Such Association"]
    column += ["Association de Soutien aux Travailleurs Immigrés"] * 6  # a second batch
    type_id = manifest["defaultTypes"][0]["id"]
    picked: dict[int, str] = {}
    for start in range(0, len(column), 10):
        queries = {
            f"q{i}": {"query": column[i], "type": type_id, "type_strict": "should"}
            for i in range(start, min(start + 10, len(column)))
        }
        answer = batch(client, queries)
        for key, value in answer.items():
            if value["result"] and value["result"][0]["description"].startswith("proposed"):
                picked[int(key[1:])] = value["result"][0]["id"]  # the user accepts the proposal
    assert picked[0] == picked[2] == picked[10] == "lu-asti"
    assert picked[1] == "lu-caritas" and picked[3] == "fi-finnish-red-cross"
    assert 4 not in picked
    # The user types in the suggest box, then adds columns from the service.
    assert client.get(service, params={"prefix": "Caritas"}).status_code == 200
    proposal = client.get(
        manifest["extend"]["propose_properties"]["service_path"], params={"type": type_id}
    ).json()
    ids = sorted(set(picked.values()))
    answer = extend(client, {"ids": ids, "properties": proposal["properties"][:2]})
    assert answer["rows"]["lu-caritas"]["country"] == [{"str": "LU"}]
    assert answer["rows"]["fi-finnish-red-cross"]["country"] == [{"str": "FI"}]


def test_routes_are_in_the_openapi_description(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/reconcile",
        "/reconcile/suggest/{what}",
        "/reconcile/preview",
        "/reconcile/properties",
    ):
        assert path in paths
    assert {"get", "post"} <= set(paths["/reconcile"])
