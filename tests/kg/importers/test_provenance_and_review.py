"""check-quotes on imported records; the review workflow; refusal of an import that breaks a shape."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from kg.exceptions import ImportRefusedError
from kg.importers import import_file, lookup_records
from kg.loader.load import load_store
from kg.settings import Settings
from kg.validate.quotes import check_quotes
from tests.kg.importers.conftest import ACTIVITIES, GRANTS, SHEET, ask

ORG = "https://w3id.org/integration-kg/id/org/"


def _settings(out: Path) -> Settings:
    return Settings(extra_data_dirs=(out,))


@pytest.mark.parametrize(
    ("fmt", "src"), [("360giving", GRANTS), ("iati", ACTIVITIES), ("sheet", SHEET)]
)
def test_check_quotes_finds_every_imported_record(fmt: str, src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    import_file(fmt, src, out)
    s = _settings(out)
    shipped, _ = check_quotes(load_store(Settings()), Settings(), records=lookup_records)
    n, problems = check_quotes(load_store(s), s, records=lookup_records)
    assert problems == [] and n > shipped


def test_check_quotes_reports_a_record_that_reads_otherwise(tmp_path: Path) -> None:
    out = tmp_path / "out"
    import_file("360giving", GRANTS, out)
    copy = out / "sources" / "grants.json"
    pkg = json.loads(copy.read_text(encoding="utf-8"))
    pkg["grants"][2]["amountAwarded"] = 3600
    copy.write_text(json.dumps(pkg), encoding="utf-8")
    s = _settings(out)
    # a changed copy no longer has the recorded SHA-256: every quote of the file is reported
    _, problems = check_quotes(load_store(s), s, records=lookup_records)
    assert problems and all("not found in the sources/ folder" in p.message for p in problems)
    # with the digest made to agree, the one changed record is found at its locator
    ttl = out / "grants.json.ttl"
    old = hashlib.sha256(GRANTS.read_bytes()).hexdigest()
    new = hashlib.sha256(copy.read_bytes()).hexdigest()
    ttl.write_text(ttl.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    _, problems = check_quotes(load_store(s), s, records=lookup_records)
    assert {p.message.split(" of ")[0] for p in problems} == {"the record at /grants/2"}
    assert all("Amount Awarded: 3500" in p.exact for p in problems)


def _asti_package(tmp_path: Path) -> Path:
    pkg = json.loads(GRANTS.read_text(encoding="utf-8"))
    g = pkg["grants"][1]
    g["recipientOrganization"] = [
        {"id": "360G-exfund-ORG-99", "name": "ASTI asbl", "addressCountry": "LU"}
    ]
    pkg["grants"] = [g]
    p = tmp_path / "asti.json"
    p.write_text(json.dumps(pkg), encoding="utf-8")
    return p


def test_a_likely_duplicate_is_proposed_never_merged_then_merged_on_decision(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    src = _asti_package(tmp_path)
    r = import_file("360giving", src, out)
    incoming = ORG + "360G-exfund-ORG-99"
    # the curated graph has ASTI (actor:lu-asti, Luxembourg): a candidate, not a merge
    rows = list(csv.DictReader(r.review.open(encoding="utf-8")))
    assert [(x["incoming"], x["candidate"], x["verdict"], x["decision"]) for x in rows] == [
        (incoming, ORG + "lu-asti", "proposed", "")
    ]
    match = ask(
        r.turtle,
        f"SELECT ?c ?s WHERE {{ <{incoming}> mi:candidateMatch [ mi:candidate ?c ; mi:matchScore ?s ] }}",
    )
    assert match[0]["c"] == ORG + "lu-asti" and 0 < float(match[0]["s"]) <= 1
    assert ask(r.turtle, "SELECT ?r WHERE { ?a mi:recipient ?r }") == [{"r": incoming}]
    # the named query shows it with the graph it joins
    import kg

    shown = kg.open(data_dirs=[out]).query("candidate-matches").to_records()
    assert [(x["org_label"], x["candidate_label"], x["verdict"]) for x in shown] == [
        ("ASTI asbl", "Association de Soutien aux Travailleurs Immigrés", "proposed")
    ]
    # the reviewer says "same": the grant now goes to actor:lu-asti, without a second label
    rows[0]["decision"] = "same"
    decided = tmp_path / "decided.csv"
    with decided.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    r = import_file("360giving", src, out, review=decided, confirm=lambda d: True)
    assert ask(r.turtle, "SELECT ?r WHERE { ?a mi:recipient ?r }") == [{"r": ORG + "lu-asti"}]
    assert ask(r.turtle, "SELECT ?l WHERE { actor:lu-asti skos:prefLabel ?l }") == []
    assert ask(r.turtle, "SELECT ?m WHERE { ?o mi:candidateMatch ?m }") == []
    # the decision is kept in the import folder and applied on the next import
    r = import_file("360giving", src, out)
    assert ask(r.turtle, "SELECT ?r WHERE { ?a mi:recipient ?r }") == [{"r": ORG + "lu-asti"}]


def test_different_decision_drops_the_candidate(tmp_path: Path) -> None:
    out = tmp_path / "out"
    src = _asti_package(tmp_path)
    r = import_file("360giving", src, out)
    text = r.review.read_text(encoding="utf-8").replace(",proposed,", ",proposed,", 1)
    lines = text.splitlines()
    lines[1] = lines[1] + "different"
    r.review.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = import_file("360giving", src, out, confirm=lambda d: True)
    assert ask(r.turtle, "SELECT ?m WHERE { ?o mi:candidateMatch ?m }") == []


def test_exact_identifier_reuses_the_existing_organisation(tmp_path: Path) -> None:
    out = tmp_path / "out"
    import_file("360giving", GRANTS, out)
    # the IATI file names GB-CHC-9900002; a sheet naming it by identifier gets the same IRI
    import_file("iati", ACTIVITIES, out)
    folder = tmp_path / "sheet"
    folder.mkdir()
    (folder / "organisations.csv").write_text(
        "id,name,country,kind,identifiers\nlra,Lighthouse Refugee Aid (UK),GB,cso,GB-CHC-9900002\n",
        encoding="utf-8",
    )
    r = import_file("sheet", folder, out)
    assert r.counts.get("organisations matched by identifier") == 1
    rows = ask(r.turtle, "SELECT ?o WHERE { ?o org:identifier 'GB-CHC-9900002' }")
    assert rows == [{"o": ORG + "GB-CHC-9900002"}]
    assert ask(r.turtle, "SELECT ?l WHERE { actor:GB-CHC-9900002 skos:prefLabel ?l }") == []


def test_an_import_that_breaks_a_shape_is_refused_with_the_violation(tmp_path: Path) -> None:
    folder = shutil.copytree(SHEET, tmp_path / "sheet")
    # a membership whose body is the member itself is fine for the shapes; a kind is not:
    # shapes require exactly one org:role, so a made-up concept of the role scheme is refused
    # by the importer's own check, while a partnership with one party is refused by the shape.
    (folder / "partnerships.csv").write_text(
        "id,parties,lead,nature,title\np1,words|words,words,,Self\n", encoding="utf-8"
    )
    with pytest.raises(ImportRefusedError) as exc:
        import_file("sheet", folder, tmp_path / "out")
    assert "PartnershipShape" in str(exc.value) or "two parties" in str(exc.value)
    assert not (tmp_path / "out").exists()
