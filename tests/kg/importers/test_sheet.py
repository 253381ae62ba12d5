"""The researcher's sheet: CSV folder and workbook, template, references and bad cells.

Expected values are read off examples/sheet/*.csv, a fictitious filled sheet written for this
project.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from kg.exceptions import ImportInputError
from kg.importers import import_file
from kg.importers.sheet import SHEETS, write_template
from tests.kg.importers.conftest import SHEET, ask

ORG = "https://w3id.org/integration-kg/id/org/"


def _workbook(folder: Path, dest: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for f in sorted(folder.glob("*.csv")):
        ws = wb.create_sheet(f.stem)
        for row in csv.reader(f.open(encoding="utf-8")):
            ws.append(row)
    wb.save(dest)
    return dest


def test_csv_folder_maps_every_sheet(out: Path) -> None:
    r = import_file("sheet", SHEET, out)
    assert r.counts == {
        "assessments": 1,
        "awards": 3,
        "memberships": 2,
        "organisations new": 5,
        "partnerships": 1,
        "programmes": 2,
    }
    # f2 has two recipients (a | list) and passes on f1
    rows = ask(
        r.turtle, "SELECT ?r WHERE { ?a dcterms:identifier 'f2' ; mi:recipient ?r } ORDER BY ?r"
    )
    assert len(rows) == 2 and ORG + "LU-RCS-F9202" in [x["r"] for x in rows]
    chain = ask(
        r.turtle,
        "SELECT ?up WHERE { ?a dcterms:identifier 'f2' ; mi:fundedFrom/dcterms:identifier ?up }",
    )
    assert chain == [{"up": "f1"}]
    m = ask(
        r.turtle,
        """SELECT ?role ?y WHERE { ?m a org:Membership ; org:member ?x ; org:organization actor:LU-RCS-F9201 ;
           org:role ?role ; org:memberDuring/time:hasBeginning/time:inXSDgYear ?y .
           ?x skos:prefLabel "Words Without Borders Luxembourg" }""",
    )
    assert m == [
        {
            "role": "https://w3id.org/integration-kg/vocab/membership-role/founding-member",
            "y": "2016",
        }
    ]
    p = ask(r.turtle, "SELECT ?lead WHERE { ?p a mi:Partnership ; mi:lead ?lead }")
    assert p == [{"lead": ORG + "LU-RCS-F9202"}]
    a = ask(r.turtle, "SELECT ?body WHERE { ?a a mi:PositionAssessment ; oa:hasBody ?body }")
    assert a[0]["body"].endswith("/position/innovative-creative")
    alt = ask(r.turtle, "SELECT ?alt WHERE { actor:LU-RCS-F9201 skos:altLabel ?alt }")
    assert alt == [{"alt": "HRN"}]


def test_workbook_gives_the_same_facts_as_the_csv_folder(tmp_path: Path) -> None:
    book = _workbook(SHEET, tmp_path / "sheet.xlsx")
    a = import_file("sheet", book, tmp_path / "a")
    b = import_file("sheet", SHEET, tmp_path / "b")
    q = """SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o))
           FILTER(!CONTAINS(STR(?s), "/id/import/") && !CONTAINS(STR(?s), "/id/source/")
                  && !CONTAINS(STR(?o), "/id/source/")) }
           ORDER BY ?s ?p ?o"""
    assert ask(a.turtle, q) == ask(b.turtle, q)
    loc = ask(
        a.turtle,
        "SELECT ?l WHERE { ?a dcterms:identifier 'f3' ; prov:wasDerivedFrom/mi:locator ?l }",
    )
    assert loc == [{"l": "funding!4"}]


def test_same_name_in_two_countries_stays_two_organisations(tmp_path: Path) -> None:
    folder = tmp_path / "sheet"
    folder.mkdir()
    (folder / "organisations.csv").write_text(
        "id,name,country,kind\nrc-fi,Red Cross,FI,cso\nrc-gb,Red Cross,GB,cso\n", encoding="utf-8"
    )
    r = import_file("sheet", folder, tmp_path / "out")
    rows = ask(
        r.turtle, "SELECT ?o ?c WHERE { ?o skos:prefLabel 'Red Cross' ; mi:country ?c } ORDER BY ?c"
    )
    assert len({x["o"] for x in rows}) == 2


def test_template_has_every_sheet_and_a_note_per_column(tmp_path: Path) -> None:
    p = write_template(tmp_path / "template.xlsx")
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == list(SHEETS)
    for sheet, cols in SHEETS.items():
        header = list(wb[sheet][1])
        assert [c.value for c in header] == [c for c, _, _ in cols]
        assert all(c.comment is not None and c.comment.text.strip() for c in header)
    # the empty template imports as nothing, without error
    r = import_file("sheet", p, tmp_path / "out")
    assert r.records == 0


BAD = {
    "unknown reference": (
        "funding.csv",
        "f3,fondation,words,",
        "f3,fondation,nobody,",
        "funding.csv!4: column \"recipient\": 'nobody' is not an id",
    ),
    "missing required value": (
        "organisations.csv",
        "tables,Open Tables Collective",
        "tables,",
        'organisations.csv!3: column "name": missing required value',
    ),
    "negative amount": (
        "funding.csv",
        "25000.50,EUR",
        "-25000.50,EUR",
        'funding.csv!4: column "amount": negative amount',
    ),
    "unknown currency": (
        "funding.csv",
        "25000.50,EUR",
        "25000.50,EUX",
        'funding.csv!4: column "currency": unknown currency',
    ),
    "impossible date": (
        "funding.csv",
        "2024-02-15",
        "2024-02-31",
        'funding.csv!4: column "award_date": impossible date',
    ),
    "unknown org-id prefix": (
        "organisations.csv",
        "LU-RCS-F9202",
        "QQ-XX-9202",
        'organisations.csv!4: column "identifiers": unknown org-id list',
    ),
    "unknown kind": (
        "organisations.csv",
        ",LU,ministry,",
        ",LU,ministre,",
        "organisations.csv!6: column \"kind\": 'ministre' is not a concept",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_cells_name_sheet_row_and_column(case: str, tmp_path: Path) -> None:
    file, old, new, message = BAD[case]
    folder = shutil.copytree(SHEET, tmp_path / "sheet")
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ImportInputError) as exc:
        import_file("sheet", folder, tmp_path / "out")
    assert str(exc.value).startswith(f"{folder}: ") and message in str(exc.value)
    assert not (tmp_path / "out").exists()


def test_not_a_workbook(tmp_path: Path) -> None:
    bad = tmp_path / "sheet.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ImportInputError, match="not a readable XLSX workbook"):
        import_file("sheet", bad, tmp_path / "out")
