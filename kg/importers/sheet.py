"""The researcher's sheet: one workbook (or a folder of CSV files) with a sheet per kind of fact.

Sheets (:data:`SHEETS` lists every column with its note; ``kg import template`` writes them as
the header row with the notes as cell comments):

- ``organisations``: one row per organisation; ``id`` is the sheet's own key that the other
  sheets use; ``identifiers`` are org-id identifiers (``GB-CHC-1164883``), ``wikidata`` QIDs;
- ``funding``: one row per award (funder, recipient, programme, amount, currency, dates,
  regrant type);
- ``memberships``: member in an umbrella body, network or council, with role and years;
- ``partnerships``: two or more parties, optionally the lead and the nature;
- ``assessments`` (optional): a SIRIUS typology position of an organisation, by an assessor.

Several values in one cell are separated by ``|``, as Kumu does. Every row becomes nodes of the
existing ontology (``mi:FundingAward``, ``org:Membership``, ``mi:Partnership``,
``mi:PositionAssessment``) quoting the row's own cells, located as ``sheet!row``.

The mapping is Python for the reasons given in :mod:`kg.importers.giving360`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kg.exceptions import ImportInputError
from kg.importers.common import (
    Builder,
    IncomingOrg,
    Quote,
    check_amount,
    check_country,
    check_currency,
    check_date,
    check_qid,
    parse_org_id,
    render_fields,
)
from kg.importers.tables import read_table_rows, sheet_names
from kg.importers.turtle import bnode, iri, lit, mint, typed
from kg.namespaces import ALL_PREFIXES

__all__ = ["SHEETS", "import_sheet", "lookup", "write_template"]

#: Sheet -> columns as (name, required, note). The notes are the template's header comments.
SHEETS: dict[str, list[tuple[str, bool, str]]] = {
    "organisations": [
        ("id", True, "Your own key for the organisation, used by the other sheets (e.g. asti)."),
        ("name", True, "Its name as the source gives it."),
        ("alt_names", False, "Other names or acronyms, separated by |."),
        ("country", False, "ISO 3166-1 alpha-2 code of the country it is based in (e.g. LU)."),
        (
            "kind",
            False,
            "A kind of ontology/vocab/kind.ttl: cso, umbrella, foundation, ministry...",
        ),
        (
            "identifiers",
            False,
            "org-id identifiers separated by | (e.g. LU-RCS-F1234 | XI-LEI-...).",
        ),
        ("wikidata", False, "Wikidata QIDs separated by | (e.g. Q42)."),
    ],
    "funding": [
        ("id", True, "Your own key for the award (unique in this sheet)."),
        ("funder", True, "The funder: an id of the organisations sheet."),
        ("recipient", True, "The recipient(s): ids of the organisations sheet, separated by |."),
        ("title", False, "What the award is for."),
        ("programme", False, "The fund or programme it was awarded under (its name)."),
        ("amount", False, "Amount awarded, a number >= 0 (no currency sign)."),
        ("currency", False, "ISO 4217 code (EUR, GBP...); required with an amount."),
        ("award_date", False, "Date of the award decision, YYYY-MM-DD."),
        ("start", False, "Start of the funded period, YYYY-MM-DD or YYYY."),
        ("end", False, "End of the funded period, YYYY-MM-DD or YYYY."),
        (
            "regrant_type",
            False,
            "360Giving regrant type FRG010 ... FRG070, if the award is regranted.",
        ),
        ("funded_from", False, "The id (funding sheet) of the upstream award this one passes on."),
    ],
    "memberships": [
        ("member", True, "The member: an id of the organisations sheet."),
        ("body", True, "The umbrella body, network or council: an id of the organisations sheet."),
        (
            "role",
            False,
            "A role of ontology/vocab/membership-role.ttl (member, founding-member...).",
        ),
        ("start", False, "Year or date the membership began."),
        ("end", False, "Year or date it ended."),
    ],
    "partnerships": [
        ("id", True, "Your own key for the partnership."),
        ("parties", True, "Two or more ids of the organisations sheet, separated by |."),
        ("lead", False, "The party that leads it (one of the parties)."),
        (
            "nature",
            False,
            "A nature of ontology/vocab/relation-nature.ttl (formal-partnership...).",
        ),
        ("title", False, "The partnership's or project's name."),
    ],
    "assessments": [
        ("organisation", True, "The organisation assessed: an id of the organisations sheet."),
        (
            "position",
            True,
            "A position of ontology/vocab/position.ttl (e.g. autonomous-co-producer).",
        ),
        ("assessor", False, "Who assessed: an id of the organisations sheet."),
        ("negated", False, "true if the source says the organisation is NOT in this position."),
    ],
}
_REQUIRED_SHEETS = ("organisations",)
_YEAR = re.compile(r"^\d{4}$")


def _split(value: Any) -> list[str]:
    return [v.strip() for v in str(value or "").split("|") if v.strip()]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def _concepts(b: Builder, scheme: str) -> frozenset[str]:
    return b.concepts.get(scheme, frozenset())


def _concept(value: str, scheme: str, known: frozenset[str], where: str) -> str:
    if value not in known:
        shown = ", ".join(sorted(known)[:8])
        raise ImportInputError(
            f"{where}: {value!r} is not a concept of the {scheme} scheme ({shown}...)"
        )
    return iri(ALL_PREFIXES[scheme] + value)


def _instant(value: str, where: str) -> str:
    if _YEAR.match(value):
        return bnode([("a", "time:Instant"), ("time:inXSDgYear", typed(value, "gYear"))])
    return bnode(
        [("a", "time:Instant"), ("time:inXSDDate", typed(check_date(value, where), "date"))]
    )


def _interval(start: str, end: str, where: str) -> str | None:
    pairs = [("a", "time:Interval")]
    if start:
        pairs.append(("time:hasBeginning", _instant(start, f'{where}: column "start"')))
    if end:
        pairs.append(("time:hasEnd", _instant(end, f'{where}: column "end"')))
    if start and end and end[: len(start)] < start[: len(end)]:
        raise ImportInputError(f"{where}: impossible dates: ends {end} before it starts {start}")
    return bnode(pairs) if len(pairs) > 1 else None


def _rows(path: Path, sheet: str) -> list[tuple[str, int | None, dict[str, str]]]:
    rows = []
    cols = [c for c, _, _ in SHEETS[sheet]]
    for locator, line, row in read_table_rows(path, sheet):
        unknown = [h for h in row if h not in cols]
        if unknown:
            raise ImportInputError(
                f"{path}: {locator.split('!')[0]}: unknown column {unknown[0]!r} "
                f"(columns: {', '.join(cols)})"
            )
        rows.append((locator, line, {c: _cell(row.get(c)) for c in cols}))
    return rows


def _quote(sheet: str, locator: str, line: int | None, row: dict[str, str]) -> Quote:
    return Quote(locator, render_fields(row.items()), line)


def import_sheet(path: Path, b: Builder) -> dict[str, Any]:
    """Read every sheet of ``path`` (workbook or CSV folder) and map its rows into ``b``."""
    names = set(sheet_names(path))
    for s in _REQUIRED_SHEETS:
        if s not in names:
            raise ImportInputError(
                f"{path}: no sheet {s!r} (sheets: {', '.join(sorted(names)) or 'none'})"
            )
    unknown = sorted(names - set(SHEETS))
    if unknown:
        raise ImportInputError(
            f"{path}: unknown sheet {unknown[0]!r} (sheets: {', '.join(SHEETS)})"
        )
    orgs: dict[str, str] = {}
    n = 0

    def ref(value: str, where: str, column: str) -> str:
        if value not in orgs:
            raise ImportInputError(
                f'{where}: column "{column}": {value!r} is not an id of the organisations sheet'
            )
        return orgs[value]

    for locator, line, row in _rows(path, "organisations"):
        n += 1
        where = f"{path}: {locator}"
        for col in ("id", "name"):
            if not row[col]:
                raise ImportInputError(f'{where}: column "{col}": missing required value')
        if row["id"] in orgs:
            raise ImportInputError(f'{where}: column "id": {row["id"]!r} is used twice')
        idents = tuple(_split(row["identifiers"]))
        for ident in idents:
            parse_org_id(ident, f'{where}: column "identifiers"')
        kind = row["kind"] or None
        if kind:
            _concept(kind, "kind", _concepts(b, "kind"), f'{where}: column "kind"')
        inc = IncomingOrg(
            name=row["name"],
            country=check_country(row["country"], f'{where}: column "country"')
            if row["country"]
            else None,
            kind=kind,
            identifiers=idents,
            qids=tuple(
                check_qid(q, f'{where}: column "wikidata"') for q in _split(row["wikidata"])
            ),
            alt_names=tuple(_split(row["alt_names"])),
        )
        orgs[row["id"]] = b.org(inc, _quote("organisations", locator, line, row))

    awards: dict[str, str] = {}
    funding = _rows(path, "funding")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem)
    for _locator, _line, row in funding:
        if row["id"]:
            awards[row["id"]] = mint("award", f"{stem}/{row['id']}")
    seen: set[str] = set()
    for locator, line, row in funding:
        n += 1
        where = f"{path}: {locator}"
        for col in ("id", "funder", "recipient"):
            if not row[col]:
                raise ImportInputError(f'{where}: column "{col}": missing required value')
        if row["id"] in seen:
            raise ImportInputError(f'{where}: column "id": {row["id"]!r} is used twice')
        seen.add(row["id"])
        q = _quote("funding", locator, line, row)
        pairs: list[tuple[str, str]] = [
            ("a", "mi:FundingAward"),
            ("dcterms:identifier", lit(row["id"])),
        ]
        if row["title"]:
            pairs.append(("schema:name", lit(row["title"])))
        pairs.append(("schema:funder", iri(ref(row["funder"], where, "funder"))))
        pairs += [
            ("mi:recipient", iri(ref(r, where, "recipient"))) for r in _split(row["recipient"])
        ]
        if row["programme"]:
            fund = mint(
                "fund",
                f"{stem}/{re.sub(r'[^A-Za-z0-9]+', '-', row['programme']).strip('-').lower()}",
            )
            b.gathered(
                fund,
                [("a", "mi:FundingProgramme"), ("skos:prefLabel", lit(row["programme"]))],
                q,
                "programmes",
            )
            pairs.append(("mi:awardedUnder", iri(fund)))
        if row["amount"]:
            amount = check_amount(row["amount"], f'{where}: column "amount"')
            currency = check_currency(row["currency"], f'{where}: column "currency"')
            pairs.append(
                (
                    "schema:amount",
                    bnode(
                        [
                            ("a", "schema:MonetaryAmount"),
                            ("schema:value", typed(amount, "decimal")),
                            ("schema:currency", lit(currency)),
                        ]
                    ),
                )
            )
        elif row["currency"]:
            check_currency(row["currency"], f'{where}: column "currency"')
        if row["award_date"]:
            pairs.append(
                (
                    "frapo:hasAwardDate",
                    typed(check_date(row["award_date"], f'{where}: column "award_date"'), "date"),
                )
            )
        period = _interval(row["start"], row["end"], where)
        if period:
            pairs.append(("dcterms:temporal", period))
        if row["regrant_type"]:
            rt = row["regrant_type"]
            if not re.match(r"^FRG0[1-7]0$", rt):
                raise ImportInputError(
                    f'{where}: column "regrant_type": unknown regrant type {rt!r} '
                    "(FRG010 to FRG070)"
                )
            pairs.append(("mi:regrantType", iri(ALL_PREFIXES["regrant-type"] + rt)))
        if row["funded_from"]:
            if row["funded_from"] not in awards:
                raise ImportInputError(
                    f'{where}: column "funded_from": {row["funded_from"]!r} '
                    "is not an id of the funding sheet"
                )
            pairs.append(("mi:fundedFrom", iri(awards[row["funded_from"]])))
        b.node(awards[row["id"]], pairs, q, "awards")

    for locator, line, row in _rows(path, "memberships"):
        n += 1
        where = f"{path}: {locator}"
        for col in ("member", "body"):
            if not row[col]:
                raise ImportInputError(f'{where}: column "{col}": missing required value')
        member, body = ref(row["member"], where, "member"), ref(row["body"], where, "body")
        pairs = [
            ("a", "org:Membership"),
            ("org:member", iri(member)),
            ("org:organization", iri(body)),
        ]
        if row["role"]:
            pairs.append(
                (
                    "org:role",
                    _concept(
                        row["role"],
                        "membership-role",
                        _concepts(b, "membership-role"),
                        f'{where}: column "role"',
                    ),
                )
            )
        period = _interval(row["start"], row["end"], where)
        if period:
            pairs.append(("org:memberDuring", period))
        b.node(
            mint("membership", f"{stem}/{row['member']}--{row['body']}"),
            pairs,
            _quote("memberships", locator, line, row),
            "memberships",
        )

    for locator, line, row in _rows(path, "partnerships"):
        n += 1
        where = f"{path}: {locator}"
        for col in ("id", "parties"):
            if not row[col]:
                raise ImportInputError(f'{where}: column "{col}": missing required value')
        parties = _split(row["parties"])
        if len(parties) < 2:
            raise ImportInputError(
                f'{where}: column "parties": a partnership needs two or more parties'
            )
        pairs = [("a", "mi:Partnership")]
        if row["title"]:
            pairs.append(("skos:prefLabel", lit(row["title"])))
        pairs += [("mi:party", iri(ref(p, where, "parties"))) for p in parties]
        if row["lead"]:
            if row["lead"] not in parties:
                raise ImportInputError(
                    f'{where}: column "lead": {row["lead"]!r} is not one of the parties'
                )
            pairs.append(("mi:lead", iri(ref(row["lead"], where, "lead"))))
        if row["nature"]:
            pairs.append(
                (
                    "mi:relationNature",
                    _concept(
                        row["nature"],
                        "relation-nature",
                        _concepts(b, "relation-nature"),
                        f'{where}: column "nature"',
                    ),
                )
            )
        b.node(
            mint("rel", f"{stem}/{row['id']}"),
            pairs,
            _quote("partnerships", locator, line, row),
            "partnerships",
        )

    for locator, line, row in _rows(path, "assessments"):
        n += 1
        where = f"{path}: {locator}"
        for col in ("organisation", "position"):
            if not row[col]:
                raise ImportInputError(f'{where}: column "{col}": missing required value')
        negated = row["negated"].lower()
        if negated not in ("", "true", "false"):
            raise ImportInputError(
                f'{where}: column "negated": {row["negated"]!r} must be true, false or empty'
            )
        pairs = [
            ("a", "mi:PositionAssessment"),
            ("oa:motivatedBy", "oa:classifying"),
            ("oa:hasTarget", iri(ref(row["organisation"], where, "organisation"))),
            (
                "oa:hasBody",
                _concept(
                    row["position"],
                    "position",
                    _concepts(b, "position"),
                    f'{where}: column "position"',
                ),
            ),
            ("mi:assessmentLevel", "level:assessed-organisation"),
            ("mi:negated", "true" if negated == "true" else "false"),
        ]
        if row["assessor"]:
            pairs.append(("prov:wasAttributedTo", iri(ref(row["assessor"], where, "assessor"))))
        b.node(
            mint("assessment", f"{stem}/{row['organisation']}--{row['position']}"),
            pairs,
            _quote("assessments", locator, line, row),
            "assessments",
        )
    b.records = n
    return {"title": f"Sheet: {path.name}"}


def lookup(path: Path, locators: set[str]) -> dict[str, str]:
    """Render the rows at ``locators`` again (for ``kg check-quotes``)."""
    out: dict[str, str] = {}
    for sheet in SHEETS:
        for locator, line, row in _rows(path, sheet) if sheet in sheet_names(path) else []:
            if locator in locators:
                out[locator] = _quote(sheet, locator, line, row).exact
    return out


def write_template(dest: Path) -> Path:
    """Write an empty workbook: one sheet per :data:`SHEETS` entry, header notes as comments.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> p = write_template(Path(tempfile.mkdtemp()) / "t.xlsx")
    >>> wb = openpyxl.load_workbook(p)
    >>> wb.sheetnames
    ['organisations', 'funding', 'memberships', 'partnerships', 'assessments']
    >>> [c.value for c in wb["memberships"][1]]
    ['member', 'body', 'role', 'start', 'end']
    """
    import os
    import tempfile

    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    dest = Path(dest)
    if dest.suffix.lower() != ".xlsx":
        raise ImportInputError(f"{dest}: the template is a workbook: give a name ending in .xlsx")
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, cols in SHEETS.items():
        ws = wb.create_sheet(sheet)
        for i, (name, required, note) in enumerate(cols, start=1):
            cell = ws.cell(row=1, column=i, value=name)
            cell.font = Font(bold=required)
            cell.comment = Comment(("Required. " if required else "") + note, "integration-kg")
            ws.column_dimensions[cell.column_letter].width = max(14, len(name) + 4)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".xlsx", dir=dest.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest
