"""The explorer's JSON API: networks, metrics, organisation profiles, search and pages."""

from __future__ import annotations

import pytest

from kg.network.view import clear_cache, network_view
from tests.support import shipped_backend

ASTI = "https://w3id.org/integration-kg/id/org/lu-asti"
NODE_KEYS = {
    "id", "label", "kind", "kinds", "country", "type", "position", "position_level", "ref",
    "x", "y", "degree", "in_degree", "out_degree", "betweenness", "brokerage_total",
    "brokerage_coordinator", "brokerage_itinerant", "brokerage_representative",
    "brokerage_gatekeeper", "brokerage_liaison",
}  # fmt: skip


def test_list_networks(client):
    r = client.get("/api/networks")
    assert r.status_code == 200
    names = [n["name"] for n in r.json()]
    for name in ("funding", "membership", "partnership", "referral", "all"):
        assert name in names
    assert all(n["title"] and "description" in n for n in r.json())


@pytest.mark.parametrize("name", ["funding", "membership", "partnership", "referral", "all"])
def test_network_payload(client, name):
    r = client.get(f"/api/networks/{name}")
    assert r.status_code == 200
    data = r.json()
    assert data["name"] == name
    assert data["nodes"], f"{name} has no nodes"
    ids = {n["id"] for n in data["nodes"]}
    for n in data["nodes"]:
        assert set(n) >= NODE_KEYS, f"missing {NODE_KEYS - set(n)}"
        assert 0 <= n["x"] <= 1000 and 0 <= n["y"] <= 1000
    for e in data["edges"]:
        assert e["source"] in ids and e["target"] in ids
        assert {"id", "relation", "weight", "relations"} <= set(e)
        assert len(e.get("quotes", [])) == len(e.get("sources", []))
        assert None not in e.values()  # unstated values are left out
    assert data["directed"] == (name != "partnership")
    assert set(data["meta"]["documents"].values()) >= {"000_bb8b49f7e06df230.txt"}
    assert "kind" in data["meta"]["labels"]


def test_all_draws_each_partnership_once(client):
    data = client.get("/api/networks/all").json()
    partnerships = [e for e in data["edges"] if e["relation"] == "partnership"]
    assert partnerships and all(e.get("undirected") for e in partnerships)
    pairs = [(e["source"], e["target"], tuple(e["relations"])) for e in partnerships]
    assert len({(min(s, t), max(s, t), r) for s, t, r in pairs}) == len(pairs)
    assert {e["relation"] for e in data["edges"]} >= {"funding", "membership", "partnership"}


def test_funding_edges_carry_their_quotes(client, seed_text, collapse):
    data = client.get("/api/networks/funding").json()
    docs = data["meta"]["documents"]
    checked = 0
    for e in data["edges"]:
        for quote, title in zip(e.get("quotes", []), e.get("sources", []), strict=True):
            assert collapse(quote) in seed_text(docs[title]), quote
            checked += 1
    assert checked > 20


def test_layout_is_deterministic(client):
    first = {
        n["id"]: (n["x"], n["y"]) for n in client.get("/api/networks/membership").json()["nodes"]
    }
    clear_cache()
    again = {
        n["id"]: (n["x"], n["y"])
        for n in network_view("membership", backend=shipped_backend())["nodes"]
    }
    assert first == again


def test_time_window(client):
    full = client.get("/api/networks/all").json()
    dated = client.get("/api/networks/all?from=2016&to=2017&dated_only=true").json()
    assert 0 < len(dated["edges"]) < len(full["edges"])
    for e in dated["edges"]:
        lo = e.get("start") if e.get("start") is not None else e.get("end")
        hi = e.get("end") if e.get("end") is not None else e.get("start")
        assert lo <= 2017 and hi >= 2016
    kept = client.get("/api/networks/all?year=2016").json()
    assert "no period are kept" in kept["message"]


def test_bad_network_and_window(client):
    r = client.get("/api/networks/nope")
    assert r.status_code == 404
    assert "name" in r.json()["detail"] and "funding" in r.json()["detail"]
    r = client.get("/api/networks/funding?from=2020&to=2010")
    assert r.status_code == 400
    # The parameter as the query string names it, not a CLI flag.
    assert "parameter 'from'" in r.json()["detail"] and "2020" in r.json()["detail"]
    assert "--" not in r.json()["detail"]
    r = client.get("/api/networks/funding?year=soon")
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "year"]


def test_max_nodes_trims_with_a_message(client):
    data = client.get("/api/networks/all?max_nodes=20").json()
    assert len(data["nodes"]) == 20
    assert "showing the 20 best-connected nodes" in data["message"]
    assert data["meta"]["total_nodes"] > 20


@pytest.mark.parametrize("group", ["kind", "country", "position"])
def test_brokerage_metrics(client, group):
    r = client.get(f"/api/networks/all/metrics?metric=brokerage&group={group}")
    assert r.status_code == 200
    body = r.json()
    assert body["group"] == group
    assert body["columns"][:4] == ["node", "label", "kind", "country"]
    roles = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
    for row in body["rows"]:
        assert row["total"] == sum(row[k] for k in roles)
        if group != "position":  # rows carry kind and country, not position
            assert row["group"] == row[group]
    assert {r["role"] for r in body["graph"]} >= {"total", "liaison"}
    # The network view's brokerage (kind partition) agrees with the metrics route.
    if group == "kind":
        view = {n["id"]: n for n in client.get("/api/networks/all").json()["nodes"]}
        for row in body["rows"]:
            assert view[row["node"]]["brokerage_total"] == row["total"]


def test_structural_holes_and_centrality(client):
    sh = client.get("/api/networks/partnership/metrics?metric=structural-holes").json()
    assert {"constraint", "effective_size", "efficiency", "hierarchy"} <= set(sh["columns"])
    c = client.get("/api/networks/funding/metrics?metric=centrality").json()
    assert {"betweenness_normalized", "pagerank", "in_degree"} <= set(c["columns"])
    assert c["implementations"]["pagerank"]


@pytest.mark.parametrize(
    ("query", "param"),
    [("metric=magic", "metric"), ("metric=brokerage&group=colour", "group")],
)
def test_bad_metric_parameters(client, query, param):
    r = client.get(f"/api/networks/all/metrics?{query}")
    assert r.status_code == 400
    assert f"parameter {param!r}" in r.json()["detail"]
    assert client.get(f"/api/networks/nope/metrics?{query}").status_code in (400, 404)


def test_organisation_profile(client, seed_text, collapse):
    r = client.get("/api/organisations/lu-asti")
    assert r.status_code == 200
    p = r.json()
    assert p["id"] == ASTI and p["ref"] == "lu-asti"
    names = {(n["label"], n["lang"], n["type"]) for n in p["names"]}
    assert ("ASTI", "fr", "alt") in names
    assert ("Association de Soutien aux Travailleurs Immigrés", "fr", "pref") in names
    assert ("Support Association for immigrant workers", "en", "alt") in names
    assert [k["ref"] for k in p["kinds"]] == ["kind:cso"]
    assert p["country"]["ref"] == "country:LU"
    assert {a["ref"] for a in p["activities"]} >= {"activity:policy-advocacy", "activity:housing"}
    assert {t["ref"] for t in p["target_groups"]} >= {"target:refugees"}
    rels = {(r["relation"], r["other_ref"]) for r in p["relations"]}
    assert ("member of", "lu-refugee-council") in rels
    assert ("partner of", "lu-dysphasie-lu") in rels
    # Every relation's quote is in the document it names.
    for rel in p["relations"] + p["quotes"]:
        if rel["quote"]:
            assert rel["source_file"], rel
            assert collapse(rel["quote"]) in seed_text(rel["source_file"])
    # An award without a stated funder names no funder (no fan-out to every labelled node).
    assert len(p["relations"]) < 100
    assert p["metrics"]["network"] == "all" and p["metrics"]["degree"] > 0
    assert p["links"]["queries"]["funders-of"] == "/api/queries/funders-of?org=actor:lu-asti"


@pytest.mark.parametrize(
    "ref",
    [
        "https://w3id.org/integration-kg/id/org/lu-asti",
        "https%3A%2F%2Fw3id.org%2Fintegration-kg%2Fid%2Forg%2Flu-asti",
        "actor:lu-asti",
    ],
)
def test_organisation_by_iri_or_curie(client, ref):
    r = client.get(f"/api/organisations/{ref}")
    assert r.status_code == 200
    assert r.json()["id"] == ASTI


def test_programme_profile(client):
    p = client.get("/api/organisations/fund:amif").json()
    assert p["ref"] == "fund:amif"
    assert "Asylum, Migration and Integration Fund" in p["label"]


@pytest.mark.parametrize("ref", ["no-such-org", "bogus:thing", "actor:"])
def test_unknown_organisation(client, ref):
    r = client.get(f"/api/organisations/{ref}")
    assert r.status_code == 404
    assert "unknown organisation" in r.json()["detail"]


def test_profile_query_links_run(client):
    p = client.get("/api/organisations/lu-asti").json()
    for name, url in p["links"]["queries"].items():
        if name in ("org-profile", "provenance-audit"):
            continue  # large answers; covered by the query suite
        assert client.get(url).status_code == 200, (name, url)
    funders = client.get(p["links"]["queries"]["funders-of"]).json()["rows"]
    assert any(r["funder_label"] == "Government of Luxembourg" for r in funders)


def test_search(client):
    r = client.get("/api/search?q=ASTI")
    assert r.status_code == 200
    results = r.json()["results"]
    assert results[0]["id"] == ASTI and results[0]["matched"] == "ASTI"
    assert client.get("/api/search?q=").json()["results"] == []
    assert client.get("/api/search?q=zzzzqqq").json()["results"] == []
    assert client.get("/api/search?q=a&limit=0").status_code == 422


def test_pages(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "/static/explorer/explorer.js" in r.text
    r = client.get("/org/lu-asti")
    assert r.status_code == 200 and "/static/explorer/org.js" in r.text
    assert client.get("/static/explorer/explorer.js").status_code == 200
    assert client.get("/static/explorer/style.css").status_code == 200


def test_network_nodes_carry_communities(client):
    nodes = client.get("/api/networks/all").json()["nodes"]
    communities = [n["community"] for n in nodes]
    assert all(isinstance(c, int) and c >= 1 for c in communities)
    assert 1 in communities and len(set(communities)) > 1
    # Numbered from the largest community.
    sizes = {c: communities.count(c) for c in set(communities)}
    assert sizes[1] == max(sizes.values())


def test_figure_route_draws_kg_exports_figure(client):
    r = client.get("/api/networks/funding/figure", params={"format": "svg", "country": "LU"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert "Luxembourg · colour: kind · size: degree" in r.text
    pdf = client.get("/api/networks/funding/figure", params={"country": "LU"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = client.get("/api/networks/funding/figure", params={"size": "shoe"})
    assert bad.status_code == 400 and "size" in bad.text
    bad = client.get("/api/networks/funding/figure", params={"format": "bmp"})
    assert bad.status_code == 400 and "format" in bad.text
