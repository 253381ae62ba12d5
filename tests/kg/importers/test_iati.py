"""IATI 2.03 import: activities, participating organisations and transactions.

Expected values are read off examples/iati/activities.xml, a fictitious file written for this
project; the schema comes from ../shared/standards/iati-2.03/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.exceptions import ImportInputError
from kg.importers import import_file
from tests.kg.importers.conftest import ACTIVITIES, ask, without_stamp

AWARD = "https://w3id.org/integration-kg/id/award/"
ORG = "https://w3id.org/integration-kg/id/org/"


def test_transactions_become_awards_from_provider_to_receiver(out: Path) -> None:
    r = import_file("iati", ACTIVITIES, out)
    rows = ask(
        r.turtle,
        """SELECT ?a ?f ?r ?t ?v ?paid ?d ?dd WHERE { ?a a mi:FundingAward ; schema:funder ?f ;
             mi:transactionType ?t . OPTIONAL { ?a mi:recipient ?r }
             OPTIONAL { ?a schema:amount/schema:value ?v } OPTIONAL { ?a mi:amountDisbursed/schema:value ?paid }
             OPTIONAL { ?a frapo:hasAwardDate ?d } OPTIONAL { ?a dcterms:date ?dd } } ORDER BY ?a""",
    )
    assert [(x["a"].removeprefix(AWARD), x["f"].removeprefix(ORG), x["t"][-1]) for x in rows] == [
        ("GB-CHC-9900002-LESVOS-1/transaction/1", "GB-CHC-9900002", "2"),
        ("XI-IATI-EXF-PROG-1/transaction/1", "XI-IATI-EXF", "2"),
        # no provider-org: an outgoing disbursement is the reporting organisation's
        ("XI-IATI-EXF-PROG-1/transaction/2", "XI-IATI-EXF", "3"),
    ]
    assert rows[1]["v"] == "250000" and rows[1]["d"] == "2024-01-20"
    assert rows[2]["paid"] == "100000" and rows[2]["dd"] == "2024-03-01" and rows[2]["v"] is None
    # the implementing group has no ref: a minted IRI, the same in the role and the transaction
    impl = ask(
        r.turtle,
        "SELECT ?o ?k WHERE { project:GB-CHC-9900002-LESVOS-1 mi:runBy ?o . ?o org:classification ?k }",
    )
    assert impl[0]["o"] == rows[0]["r"] and impl[0]["k"].endswith("/kind/cso")


def test_activities_are_projects_with_country_dates_and_parent(out: Path) -> None:
    r = import_file("iati", ACTIVITIES, out)
    rows = ask(
        r.turtle,
        """SELECT ?label ?c ?s ?e ?partner WHERE { project:XI-IATI-EXF-PROG-1 skos:prefLabel ?label ;
           mi:country ?c ; schema:startDate ?s ; schema:endDate ?e ; mi:partner ?partner }""",
    )
    assert rows == [
        {
            "label": "Newcomers' livelihoods programme",
            "c": "https://w3id.org/integration-kg/vocab/country/GR",
            "s": "2024-01-01",
            "e": "2026-12-31",
            "partner": ORG + "GB-CHC-9900002",
        }
    ]
    parent = ask(
        r.turtle, "SELECT ?p WHERE { project:GB-CHC-9900002-LESVOS-1 dcterms:isPartOf ?p }"
    )
    assert parent == [{"p": "https://w3id.org/integration-kg/id/project/XI-IATI-EXF-PROG-1"}]
    loc = ask(
        r.turtle,
        f"SELECT ?l ?n WHERE {{ <{AWARD}XI-IATI-EXF-PROG-1/transaction/2> prov:wasDerivedFrom [ mi:locator ?l ; mi:line ?n ] }}",
    )
    # line of <transaction> in the file, counted by hand
    line = ACTIVITIES.read_text().splitlines().index("  <transaction>", 30) + 1
    assert loc == [{"l": "/iati-activities/iati-activity[1]/transaction[2]", "n": str(line)}]


def test_reimport_is_deterministic(tmp_path: Path) -> None:
    a = import_file("iati", ACTIVITIES, tmp_path / "a").turtle.read_bytes()
    b = import_file("iati", ACTIVITIES, tmp_path / "b").turtle.read_bytes()
    assert without_stamp(a) == without_stamp(b)


def _bad(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    text = ACTIVITIES.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    src = tmp_path / "activities.xml"
    src.write_text(changed, encoding="utf-8")
    line = changed[: changed.index(new)].count("\n") + 1 if new else 0
    return src, f"line {line}"


CASES = {
    "invalid XML": ("<title>", "<title><oops>", "invalid XML"),
    "wrong schema": ('<activity-status code="2"/>', "<activity-status/>", "schema:"),
    "unknown currency": (
        'currency="EUR" value-date="2024-01-20"',
        'currency="EUX" value-date="2024-01-20"',
        "unknown currency 'EUX'",
    ),
    "negative amount": (">250000<", ">-250000<", "negative amount -250000"),
    "impossible date": (
        '<transaction-date iso-date="2024-01-20"/>',
        '<transaction-date iso-date="2024-02-30"/>',
        "'2024-02-30' is not a valid value of the atomic type 'xs:date'",
    ),
    "unknown org-id prefix": (
        '<receiver-org ref="GB-CHC-9900002" type="21">',
        '<receiver-org ref="QQ-ABC-1" type="21">',
        "unknown org-id list 'QQ-ABC'",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_names_file_and_line(case: str, tmp_path: Path) -> None:
    old, new, message = CASES[case]
    src, line = _bad(tmp_path, old, new)
    with pytest.raises(ImportInputError) as exc:
        import_file("iati", src, tmp_path / "out")
    text = str(exc.value)
    assert text.startswith(f"{src}: line ") and message in text
    if case not in ("invalid XML", "wrong schema"):
        assert text.startswith(f"{src}: {line}:")
    assert not (tmp_path / "out").exists()
