"""Names people can type: organisations, programmes and countries by name, acronym or code.

Expected values come from the curated graph's own labels (data/ttl/lu/*.ttl: ASTI's preferred
label "Association de Soutien aux Travailleurs Immigrés" and its acronym; the four "Caritas"
organisations of Switzerland, the Czech Republic, Italy and Luxembourg) and from the country
code list (ontology/vocab: GR is "Greece").
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kg.cli import app
from kg.entities.resolve import normalise, resolve_values
from kg.exceptions import AmbiguousError, NotFoundError
from kg.sparql.named import get_query
from tests.support import shipped_backend

ASTI = "https://w3id.org/integration-kg/id/org/lu-asti"
CARITAS_LU = "https://w3id.org/integration-kg/id/org/lu-caritas"


@pytest.mark.parametrize(
    "typed",
    ["asti", "ASTI", "lu-asti", "LU-ASTI", "actor:lu-asti", ASTI,
     "association de soutien aux travailleurs immigres",
     "Association de Soutien aux Travailleurs Immigrés"],
)  # fmt: skip
def test_organisation_by_slug_name_acronym_any_case_and_accents(typed: str) -> None:
    values = resolve_values(get_query("funders-of"), {"org": typed}, shipped_backend())
    assert values["org"] in (ASTI, "actor:lu-asti")


@pytest.mark.parametrize("typed", ["Caritas Luxembourg", "caritas (LU)", "Caritas lu"])
def test_name_with_country_picks_that_country(typed: str) -> None:
    values = resolve_values(get_query("funders-of"), {"org": typed}, shipped_backend())
    assert values["org"] == CARITAS_LU


def test_ambiguous_name_lists_the_candidates() -> None:
    with pytest.raises(AmbiguousError) as info:
        resolve_values(get_query("funders-of"), {"org": "caritas"}, shipped_backend())
    assert len(info.value.candidates) == 4
    assert "lu-caritas, LU" in str(info.value) and "it-caritas, IT" in str(info.value)


def test_no_match_suggests_the_closest_name() -> None:
    with pytest.raises(
        NotFoundError, match=r"no organisation matches 'astii'; did you mean ASTI\?"
    ):
        resolve_values(get_query("funders-of"), {"org": "astii"}, shipped_backend())


@pytest.mark.parametrize(("typed", "code"), [("gr", "GR"), ("Greece", "GR"), ("GREECE", "GR")])
def test_country_by_code_or_name(typed: str, code: str) -> None:
    q = get_query("typology-by-country")
    assert resolve_values(q, {"country_code": typed}, shipped_backend()) == {"country_code": code}


def test_unknown_country_is_not_an_empty_answer() -> None:
    with pytest.raises(NotFoundError, match="no country matches 'Grece'; did you mean Greece"):
        resolve_values(
            get_query("typology-by-country"), {"country_code": "Grece"}, shipped_backend()
        )


def test_normalise() -> None:
    assert normalise("Œuvre  Grande-Duchesse") == "oeuvre grande duchesse"


def test_cli_exit_codes_and_messages() -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["query", "run", "funders-of", "-p", "org=asti", "--format", "json"])
    assert ok.exit_code == 0 and "Government of Luxembourg" in ok.stdout
    none = runner.invoke(app, ["query", "run", "funders-of", "-p", "org=astii"])
    assert none.exit_code == 1 and "did you mean ASTI?" in none.output
    many = runner.invoke(app, ["query", "run", "funders-of", "-p", "org=caritas"])
    assert many.exit_code == 1 and "names 4 organisations" in many.output
    typo = runner.invoke(app, ["query", "run", "fundrs-of"])
    assert typo.exit_code == 1 and "did you mean: funders-of" in typo.output
    net = runner.invoke(app, ["export", "--network", "fundng", "--out", "/tmp/never.graphml"])
    assert net.exit_code == 1 and "did you mean funding?" in net.output
    assert "Traceback" not in none.output + many.output + typo.output + net.output


@pytest.fixture(scope="module")
def client():
    from api.main import create_app

    with TestClient(create_app(workers=1)) as c:
        yield c


def test_api_statuses(client) -> None:
    r = client.get("/api/queries/funders-of", params={"org": "ASTI"})
    assert r.status_code == 200 and r.json()["rows"]
    r = client.get("/api/queries/funders-of", params={"org": "astii"})
    assert r.status_code == 404 and "did you mean ASTI?" in r.json()["detail"]
    r = client.get("/api/queries/funders-of", params={"org": "caritas"})
    assert r.status_code == 400 and "names 4 organisations" in r.json()["detail"]
    r = client.get("/api/queries/typology-by-country", params={"country_code": "Greece"})
    assert r.status_code == 200 and r.json()["rows"]
