"""360Giving import: mapping, provenance, determinism, diff and every bad-input class.

Expected values are read off examples/360giving/grants.json, a fictitious package written for
this project (the upstream examples are not copied).
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest

from kg.exceptions import ImportInputError
from kg.importers import import_file
from tests.kg.importers.conftest import GRANTS, ask, without_stamp


def _package() -> dict:
    return json.loads(GRANTS.read_text(encoding="utf-8"))


def _write(tmp_path: Path, package: dict, name: str = "grants.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(package), encoding="utf-8")
    return p


def test_grants_become_awards_with_amounts_dates_and_parties(out: Path) -> None:
    r = import_file("360giving", GRANTS, out)
    assert r.written and r.records == 4
    rows = ask(
        r.turtle,
        """SELECT ?funder ?recipient ?value ?cur ?paid ?date ?prog ?country ?rt WHERE {
          award:360G-exfund-2024-001 schema:funder ?funder ; mi:recipient ?recipient ;
            schema:amount [ schema:value ?value ; schema:currency ?cur ] ;
            mi:amountDisbursed [ schema:value ?paid ] ; frapo:hasAwardDate ?date ;
            mi:awardedUnder/skos:prefLabel ?prog ; dcterms:spatial ?country ; mi:regrantType ?rt }""",
    )
    assert rows == [
        {
            "funder": "https://w3id.org/integration-kg/id/org/LU-RCS-G9001",
            "recipient": "https://w3id.org/integration-kg/id/org/LU-RCS-F9101",
            "value": "150000",
            "cur": "EUR",
            "paid": "75000.5",
            "date": "2024-01-15",
            "prog": "Welcome Programme",
            "country": "https://w3id.org/integration-kg/vocab/country/LU",
            "rt": "https://w3id.org/integration-kg/vocab/regrant-type/FRG020",
        }
    ]
    # grant 3 names grant 1 as related and is funded by grant 1's recipient: a funding chain
    chain = ask(r.turtle, "SELECT ?up WHERE { award:360G-welcome-2024-A1 mi:fundedFrom ?up }")
    assert chain == [{"up": "https://w3id.org/integration-kg/id/award/360G-exfund-2024-001"}]
    period = ask(
        r.turtle,
        """SELECT ?b ?e WHERE { award:360G-exfund-2024-003 dcterms:temporal [
             time:hasBeginning/time:inXSDDate ?b ; time:hasEnd/time:inXSDDate ?e ] }""",
    )
    assert period == [{"b": "2024-06-01", "e": "2024-12-31"}]


def test_identifiers_are_literals_and_adms_nodes_with_their_scheme(out: Path) -> None:
    r = import_file("360giving", GRANTS, out)
    rows = ask(
        r.turtle,
        """PREFIX adms: <http://www.w3.org/ns/adms#>
        SELECT ?id ?agency WHERE { actor:GB-CHC-9900001 org:identifier ?id ;
          adms:identifier [ skos:notation ?id ; adms:schemaAgency ?agency ] }""",
    )
    assert rows == [{"id": "GB-CHC-9900001", "agency": "GB-CHC"}]


def test_provenance_document_activity_and_record_quotes(out: Path) -> None:
    r = import_file("360giving", GRANTS, out)
    doc = ask(
        r.turtle,
        """SELECT ?title ?sha ?pub ?lic WHERE { ?d a mi:ImportedFile ; dcterms:title ?title ;
           mi:sha256 ?sha ; dcterms:publisher ?pub ; dcterms:license ?lic }""",
    )
    assert doc == [
        {
            "title": "Example Integration Fund grants 2024 (fictitious)",
            "sha": hashlib.sha256(GRANTS.read_bytes()).hexdigest(),
            "pub": "Example Integration Fund",
            "lic": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    act = ask(
        r.turtle,
        "SELECT ?n ?counts ?v WHERE { ?a a prov:Activity ; mi:recordCount ?n ; mi:importCounts ?counts ; mi:toolVersion ?v }",
    )
    assert act[0]["n"] == "4" and json.loads(act[0]["counts"])["awards"] == 4
    quote = ask(
        r.turtle,
        """SELECT ?loc ?exact WHERE { award:360G-exfund-2024-002 prov:wasDerivedFrom [
            mi:locator ?loc ; oa:hasSelector/oa:exact ?exact ] }""",
    )
    assert quote[0]["loc"] == "/grants/1"
    assert "Amount Awarded: 12000" in quote[0]["exact"]
    assert "Recipient Org:Name: Kitchen Table Collective" in quote[0]["exact"]
    assert (out / "sources" / "grants.json").read_bytes() == GRANTS.read_bytes()


def test_reimport_is_byte_identical_apart_from_the_timestamp(tmp_path: Path) -> None:
    a = import_file("360giving", GRANTS, tmp_path / "a").turtle.read_bytes()
    b = import_file("360giving", GRANTS, tmp_path / "b").turtle.read_bytes()
    assert without_stamp(a) == without_stamp(b)
    assert a.count(b"^^xsd:dateTime") == 1


def test_changed_file_shows_a_diff_and_asks_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    pkg = _package()
    src = _write(tmp_path, pkg)
    import_file("360giving", src, out)
    before = (out / "grants.json.ttl").read_bytes()
    changed = copy.deepcopy(pkg)
    changed["grants"][1]["amountAwarded"] = 13000
    added = copy.deepcopy(pkg["grants"][1])
    added["id"] = "360G-exfund-2024-009"
    changed["grants"].append(added)
    del changed["grants"][3]  # the GB grant and its recipient go
    _write(tmp_path, changed)
    seen = []
    r = import_file("360giving", src, out, confirm=lambda d: seen.append(d) or False)
    assert not r.written and (out / "grants.json.ttl").read_bytes() == before
    d = seen[0]
    award = "https://w3id.org/integration-kg/id/award/"
    assert award + "360G-exfund-2024-009" in d.added
    # the amount, and the quote (the record's own values)
    assert d.changed[award + "360G-exfund-2024-002"] == [
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        "https://schema.org/amount",
    ]
    assert award + "360G-exfund-2024-003" in d.removed
    assert "https://w3id.org/integration-kg/id/org/GB-CHC-9900001" in d.removed
    r = import_file("360giving", src, out, confirm=lambda d: True)
    assert r.written and b"13000" in (out / "grants.json.ttl").read_bytes()


def test_same_file_again_gives_an_empty_diff(out: Path) -> None:
    import_file("360giving", GRANTS, out)
    r = import_file("360giving", GRANTS, out, confirm=lambda d: pytest.fail("asked"))
    assert r.diff is not None and r.diff.empty and r.written


def test_dry_run_writes_nothing(out: Path) -> None:
    r = import_file("360giving", GRANTS, out, dry_run=True)
    assert not r.written and r.counts["awards"] == 4
    assert not out.exists()


def _grant(**change: object) -> dict:
    pkg = _package()
    g = pkg["grants"][1]
    for k, v in change.items():
        if v is None:
            g.pop(k, None)
        else:
            g[k] = v
    return pkg


BAD = {
    "wrong schema": (_grant(amountAwarded="lots"), "/grants/1/amountAwarded: schema:"),
    "missing required field": (
        _grant(title=None),
        "/grants/1: schema: missing required field 'title'",
    ),
    "unknown currency": (
        _grant(currency="EUX"),
        "/grants/1/currency: schema: 'EUX' is not a code of the standard's codelist",
    ),
    "negative amount": (_grant(amountAwarded=-5), "/grants/1/amountAwarded: negative amount -5"),
    "impossible date": (
        _grant(awardDate="2024-02-30"),
        "/grants/1/awardDate: impossible date '2024-02-30'",
    ),
    "unknown org-id prefix": (
        _grant(recipientOrganization=[{"id": "ZZ-NOPE-1", "name": "X"}]),
        "/grants/1/recipientOrganization/0/id: unknown org-id list 'ZZ-NOPE'",
    ),
    "unknown country": (
        _grant(beneficiaryLocation=[{"countryCode": "XQ"}]),
        "/grants/1/beneficiaryLocation/0/countryCode: schema: 'XQ' is not a code of the standard's codelist",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_file_and_pointer_and_writes_nothing(case: str, tmp_path: Path) -> None:
    pkg, expected = BAD[case]
    src = _write(tmp_path, pkg)
    out = tmp_path / "out"
    with pytest.raises(ImportInputError) as exc:
        import_file("360giving", src, out)
    assert str(exc.value).startswith(f"{src}: ")
    assert expected in str(exc.value)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grants.json"]


def test_invalid_json_names_the_file(tmp_path: Path) -> None:
    src = tmp_path / "grants.json"
    src.write_text('{"grants": [{"id": "x",, }]}', encoding="utf-8")
    with pytest.raises(ImportInputError, match=r"grants.json: invalid JSON"):
        import_file("360giving", src, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_unknown_currency_is_refused_in_the_spreadsheet_form_too(tmp_path: Path) -> None:
    src = tmp_path / "grants.csv"
    src.write_text(
        "Identifier,Title,Description,Currency,Amount Awarded,Award Date,Funding Org:Identifier,"
        "Funding Org:Name,Recipient Org:Identifier,Recipient Org:Name\n"
        "360G-x-1,T,D,EUR,10,2024-01-01,GB-CHC-1,F,GB-CHC-2,R\n"
        "360G-x-2,T,D,XXZ,10,2024-01-01,GB-CHC-1,F,GB-CHC-2,R\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportInputError) as exc:
        import_file("360giving", src, tmp_path / "out")
    assert str(exc.value).startswith(f'{src}: grants.csv!3: column "Currency": schema:')


def test_spreadsheet_form_with_title_headers_gives_the_same_awards(tmp_path: Path) -> None:
    import openpyxl

    from kg.importers.giving360 import TITLE_PATHS, quote_pairs

    wb = openpyxl.Workbook()
    ws = wb.active
    titles = [t for t in TITLE_PATHS if t not in ("Related Activity", "Data Source")]
    ws.append(titles + ["Related Activity"])
    for g in _package()["grants"]:
        values = dict(quote_pairs(g))
        values["Description"] = g["description"]
        ws.append([values.get(t) for t in titles] + ["|".join(g.get("relatedActivity", []))])
    src = tmp_path / "grants.xlsx"
    wb.save(src)
    xl = import_file("360giving", src, tmp_path / "x")
    js = import_file("360giving", GRANTS, tmp_path / "j")
    q = "SELECT ?a ?f ?r ?v ?c WHERE { ?a a mi:FundingAward ; schema:funder ?f ; mi:recipient ?r ; schema:amount [ schema:value ?v ; schema:currency ?c ] } ORDER BY ?a"
    assert ask(xl.turtle, q) == ask(js.turtle, q)
    assert len(ask(xl.turtle, q)) == 4
    chain = "SELECT ?a ?up WHERE { ?a mi:fundedFrom ?up }"
    assert ask(xl.turtle, chain) == ask(js.turtle, chain) != []
    loc = ask(
        xl.turtle,
        "SELECT ?l WHERE { award:360G-exfund-2024-002 prov:wasDerivedFrom/mi:locator ?l }",
    )
    assert loc == [{"l": "Sheet!3"}]
