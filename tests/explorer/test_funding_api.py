"""``GET /api/funding`` and the ``/funding`` page's HTML.

Expected values come from independent computations: the ``funders-of`` named query (another
query text, written for the organisation pages) for ASTI, and plain SPARQL counts over the
shipped graph for the coverage; the group-level award is the one the SIRIUS WP4 report states
about the CSOs of all seven SIRIUS countries (line 498 of the report).
"""

from __future__ import annotations

import csv
import io

import pytest

from api.headers import CONTENT_SECURITY_POLICY
from kg.sparql.named import rows_as_dicts, run_named
from tests.support import shipped_backend

ID = "https://w3id.org/integration-kg/id/"
ASTI = ID + "org/lu-asti"
ASTI_LABEL = "Association de Soutien aux Travailleurs Immigrés"
PREFIXES = """PREFIX mi: <https://w3id.org/integration-kg/ontology#>
PREFIX schema: <https://schema.org/>
"""


def count(where: str) -> int:
    """COUNT(DISTINCT ?a) over the awards matching ``where`` (SPARQL on the shipped graph)."""
    text = (
        PREFIXES + f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a mi:FundingAward . {where} }}"
    )
    result = shipped_backend().select(text, {})
    return int(result.rows[0]["n"].value)


def test_every_award_once_with_the_columns(client):
    body = client.get("/api/funding").json()
    assert body["total"] == count("") == body["shown"] == len(body["rows"])
    awards = [r["award"] for r in body["rows"]]
    assert len(set(awards)) == len(awards)
    assert set(body["columns"]) >= {
        "funder_label",
        "programme_label",
        "recipient_label",
        "amount",
        "currency",
        "period",
        "status",
        "scope",
        "quote",
        "source",
        "line",
    }


def test_coverage_matches_sparql_counts(client):
    cov = client.get("/api/funding").json()["coverage"]
    assert cov["awards"] == count("")
    assert cov["year"] == count("FILTER EXISTS { ?a mi:startYear|mi:endYear ?y }")
    assert cov["amount"] == count("FILTER EXISTS { ?a schema:amount/schema:value ?v }")
    assert cov["programme"] == count("FILTER EXISTS { ?a mi:awardedUnder ?p }")
    assert cov["year"] < cov["awards"] / 10  # the sources date few awards: the page must say so


def test_asti_agrees_with_funders_of(client):
    expected = rows_as_dicts(run_named("funders-of", {"org": "lu-asti"}, backend=shipped_backend()))
    body = client.get("/api/funding", params={"recipient": ASTI_LABEL}).json()
    assert body["rows"], "ASTI has awards in the sources"
    assert {r["recipient"] for r in body["rows"]} == {ASTI}
    pairs = {(r["award"], r["funder_label"], r["programme_label"]) for r in body["rows"]}
    assert pairs == {(r["award"], r["funder_label"], r["programme_label"]) for r in expected}
    quotes = {(r["award"], q) for r in body["rows"] for q in r["quote"]}
    assert quotes == {(r["award"], r["quote"]) for r in expected}


def test_group_award_stays_one_group_row(client):
    rows = client.get("/api/funding").json()["rows"]
    group = [r for r in rows if r["award"] == ID + "award/amif--sirius-csos"]
    assert len(group) == 1
    (row,) = group
    assert row["recipient"] == ID + "group/sirius-csos"
    assert row["scope"] == "group"
    assert row["country"] == "several countries (group-level)"
    # never fanned out: no award row of the group's fact names one of its member countries' groups
    assert not [r for r in rows if r["award"].startswith(ID + "award/amif--sirius-csos-")]


def test_not_stated_where_the_source_is_silent(client):
    rows = client.get("/api/funding").json()["rows"]
    donations = next(r for r in rows if r["award"] == ID + "award/private-donations--lu-asti")
    assert donations["funder_label"] == "not stated"
    assert donations["amount"] is None and donations["amount_stated"] == "not stated"
    assert donations["period"] == "not stated"
    assert donations["line"] == [
        43
    ]  # ewsi-lu-citizens-initiatives, "only supported by private donations"


def overlaps(row: dict, lo: int, hi: int) -> bool:
    """The award's period (one end standing for both where only one is stated) meets [lo, hi]."""
    start = row["start"] if row["start"] is not None else row["end"]
    end = row["end"] if row["end"] is not None else row["start"]
    return start is not None and end >= lo and start <= hi


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"country": "LU"}, lambda r: r["country"] == "LU"),
        ({"kind": "cso"}, lambda r: r["recipient_kind"] == "cso"),
        ({"from": 2016, "to": 2018}, lambda r: overlaps(r, 2016, 2018)),
        ({"min": 15000}, lambda r: r["amount"] is not None and r["amount"] >= 15000),
    ],
)
def test_filters(client, params, check):
    everything = client.get("/api/funding").json()["rows"]
    body = client.get("/api/funding", params=params).json()
    assert body["rows"] and all(check(r) for r in body["rows"])
    assert len(body["rows"]) == len([r for r in everything if check(r)])
    assert body["filters"]


def test_sort_puts_not_stated_last(client):
    rows = client.get("/api/funding", params={"sort": "amount", "desc": "true"}).json()["rows"]
    amounts = [r["amount"] for r in rows]
    stated = [a for a in amounts if a is not None]
    assert amounts[: len(stated)] == sorted(stated, reverse=True)
    assert all(a is None for a in amounts[len(stated) :])


def test_csv_holds_the_json_rows(client):
    params = {"country": "LU", "sort": "funder_label"}
    rows = client.get("/api/funding", params=params).json()["rows"]
    r = client.get("/api/funding", params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert [t["award"] for t in table] == [row["award"] for row in rows]
    assert [t["quote"] for t in table] == [" | ".join(row["quote"]) for row in rows]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"from": "x"}, "from"),
        ({"from": 2020, "to": 2010}, "from"),
        ({"min": 10, "max": 1}, "min"),
        ({"sort": "quote"}, "sort"),
        ({"format": "xml"}, "format"),
    ],
)
def test_bad_parameters_are_one_line_400s(client, params, param):
    r = client.get("/api/funding", params=params)
    assert r.status_code in (400, 422)
    assert param in r.text and "Traceback" not in r.text


def test_page_is_served_with_the_policy(client):
    r = client.get("/funding")
    assert r.status_code == 200
    assert "/static/explorer/funding.js" in r.text
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "http://" not in r.text and "https://" not in r.text  # nothing from another host
    assert client.get("/static/explorer/funding.js").status_code == 200
    assert 'href="/funding"' in client.get("/").text  # linked from the explorer
