"""360Giving: a JSON package (``{"grants": [...]}``) or its spreadsheet form (XLSX or CSV).

The JSON form is streamed with ijson (its C backend, yajl2): one grant at a time is read,
validated against the 360Giving grant schema (the schema of
``../shared/standards/360giving/schema/`` or ``KG_360GIVING_SCHEMA_DIR``: compiled by
fastjsonschema for speed, 93 µs a grant against 657 µs for ``jsonschema``'s Draft 2020-12
validator, measured on the example grant; ``jsonschema`` words the error of an invalid grant),
checked (currency,
org-id prefix, amount ≥ 0, possible dates) and mapped, so memory stays flat at any size. The
package's own fields (title, publisher, licence) are read in a second, event-level pass that
skips the grants.

The spreadsheet form uses the standard's title headers (``Identifier``, ``Title``, ``Amount
Awarded``, ``Funding Org:Identifier``, ``Recipient Org:Name``, ``Beneficiary Location:Country
Code``, ``Planned Dates:Start Date``...); each row is turned into the grant object those titles
stand for (one funder, one recipient, one programme, one location per row, as flattentool's
default), then validated and mapped like a JSON grant.

Mapping (``shared/design/ontology-notes.md`` §1.7): a grant is an ``mi:FundingAward`` with
``schema:funder`` (Funding Org), ``mi:recipient`` (Recipient Org), ``mi:awardedUnder`` (Grant
Programme, a ``mi:FundingProgramme`` minted per funder and programme code),
``schema:amount`` / ``mi:amountDisbursed`` (value and currency), ``frapo:hasAwardDate``,
``dcterms:temporal`` (Planned Dates), ``dcterms:spatial`` (Beneficiary Location country),
``mi:regrantType`` (For Regrant Type) and ``mi:fundedFrom`` when a grant's ``relatedActivity``
names another grant of the file whose recipient is this grant's funder (a funding chain the file
states). Grants to individuals are counted and left out: the graph has no persons.

Why the mapping is Python and not an RML mapping run by morph-kgc: morph-kgc reads a JSON
source whole (JSONPath over the parsed document) and materialises the triples before writing,
and the mapping also needs per-record checks with located errors, reconciliation against the
graph and byte-stable output. Measured with ``benchmarks/import_bench.py`` at 100,000 grants
(53 MB, ``benchmarks/results/import-360giving-100k.md``): reading the document whole
(``json.load``, the plain-Python baseline) peaks at 349 MB, so about 3.5 GB at a million grants,
over the 2 GB budget before a single triple exists; this streamed import stays at 126 MB.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import ijson

from kg.exceptions import ImportInputError
from kg.importers.common import (
    Builder,
    IncomingOrg,
    Quote,
    check_amount,
    check_country,
    check_currency,
    check_date,
    parse_org_id,
    render_fields,
)
from kg.importers.tables import read_table_rows
from kg.importers.turtle import bnode, iri, lit, mint, typed
from kg.namespaces import ALL_PREFIXES

__all__ = ["TITLE_PATHS", "import_360giving", "iter_records", "lookup", "schema_dir"]

#: Spreadsheet title header -> path in the grant object (the fields this import reads).
TITLE_PATHS: dict[str, tuple[str | int, ...]] = {
    "Identifier": ("id",),
    "Title": ("title",),
    "Description": ("description",),
    "Currency": ("currency",),
    "Amount Awarded": ("amountAwarded",),
    "Amount Disbursed": ("amountDisbursed",),
    "Award Date": ("awardDate",),
    "Funding Org:Identifier": ("fundingOrganization", 0, "id"),
    "Funding Org:Name": ("fundingOrganization", 0, "name"),
    "Recipient Org:Identifier": ("recipientOrganization", 0, "id"),
    "Recipient Org:Name": ("recipientOrganization", 0, "name"),
    "Recipient Org:Charity Number": ("recipientOrganization", 0, "charityNumber"),
    "Recipient Org:Company Number": ("recipientOrganization", 0, "companyNumber"),
    "Grant Programme:Code": ("grantProgramme", 0, "code"),
    "Grant Programme:Title": ("grantProgramme", 0, "title"),
    "Beneficiary Location:Name": ("beneficiaryLocation", 0, "name"),
    "Beneficiary Location:Country Code": ("beneficiaryLocation", 0, "countryCode"),
    "Planned Dates:Start Date": ("plannedDates", 0, "startDate"),
    "Planned Dates:End Date": ("plannedDates", 0, "endDate"),
    "For Regrant Type": ("regrantType",),
    "Related Activity": ("relatedActivity",),
    "Data Source": ("dataSource",),
}
_NUMBERS = {"Amount Awarded", "Amount Disbursed"}
_REGRANT = {f"FRG0{n}0" for n in range(1, 8)}


def schema_dir() -> Path:
    """Folder of the 360Giving schema files (``KG_360GIVING_SCHEMA_DIR`` or the shared copy)."""
    env = os.environ.get("KG_360GIVING_SCHEMA_DIR")
    if env:
        return Path(env)
    root = Path(__file__).resolve().parents[2]
    return root.parent / "shared" / "standards" / "360giving" / "schema"


def _fast_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Rewrite the grant schema for fastjsonschema (draft 7 spelling, same constraints).

    fastjsonschema knows drafts 4 to 7: ``$defs`` becomes ``definitions``. The date fields'
    ``oneOf: [date-time, YYYY-MM-DD pattern]`` becomes ``anyOf`` with the pattern first: the two
    branches exclude each other (a pattern match has no time part), so the set of valid values
    is the same, and the common case no longer raises inside the validator.
    """

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            one = node.get("oneOf")
            if (
                isinstance(one, list)
                and len(one) == 2
                and set(one[0]) == {"format"}
                and set(one[1]) == {"pattern"}
            ):
                node = {k: v for k, v in node.items() if k != "oneOf"} | {"anyOf": [one[1], one[0]]}
            return {k: fix(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(x) for x in node]
        return node

    import json

    out = fix(schema)
    out["$schema"] = "http://json-schema.org/draft-07/schema#"
    text = json.dumps(out).replace('"#/$defs/', '"#/definitions/')
    out = json.loads(text)
    out["definitions"] = out.pop("$defs", {})
    return out


@cache
def _validators() -> tuple[Any, Any, Any]:
    import json

    from jsonschema import Draft202012Validator, FormatChecker

    d = schema_dir()
    try:
        grant = json.loads((d / "360-giving-schema.json").read_text(encoding="utf-8"))
        package = json.loads((d / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportInputError(
            f"{d}: 360Giving schema not found ({exc.strerror}); set KG_360GIVING_SCHEMA_DIR"
        ) from None
    package = dict(package)
    package["properties"] = {k: v for k, v in package["properties"].items() if k != "grants"}
    package["required"] = [r for r in package.get("required", []) if r != "grants"]
    # Dates are "a date-time, or YYYY-MM-DD" (oneOf): the date-time branch must be checked, or
    # both branches match a plain date. jsonschema checks date-time only with an optional
    # package, so the check is the standard library's (ISO 8601 with a time and zone).
    checker = FormatChecker(formats=())
    checker.checks("date-time")(_is_date_time)
    import fastjsonschema

    fast = fastjsonschema.compile(_fast_schema(grant), formats={"date-time": _is_date_time})
    return (
        fast,
        Draft202012Validator(grant, format_checker=checker),
        Draft202012Validator(package, format_checker=checker),
    )


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    import datetime as dt

    if "T" not in value and "t" not in value:
        return False
    try:
        dt.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


def _pointer(parts: Iterator[Any] | Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _schema_error(where: str, grant: dict[str, Any], validators: tuple[Any, Any, Any]) -> None:
    import fastjsonschema

    fast, validator, _ = validators
    try:
        fast(grant)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    # the compiled validator says only "invalid": jsonschema finds and words the error
    if validator.is_valid(grant):  # pragma: no cover - the two validators disagree
        return
    best = min(validator.iter_errors(grant), key=lambda e: (len(e.path), e.message))
    # a oneOf over "required" says which required field is missing; name it
    msg = best.message
    if best.validator == "enum":
        msg = f"{best.instance!r} is not a code of the standard's codelist"
    if best.validator == "oneOf" and not best.path:
        missing = [
            f
            for f in ("id", "title", "description", "currency", "amountAwarded", "awardDate")
            if f not in grant
        ]
        if missing:
            msg = f"missing required field {missing[0]!r}"
        elif "fundingOrganization" not in grant:
            msg = "missing required field 'fundingOrganization'"
        else:
            msg = "missing required field 'recipientOrganization' (or 'recipientIndividual')"
    raise ImportInputError(f"{where}{_pointer(best.path)}: schema: {msg}")


def _first(grant: dict[str, Any], key: str) -> dict[str, Any]:
    v = grant.get(key)
    return v[0] if isinstance(v, list) and v and isinstance(v[0], dict) else {}


def quote_pairs(grant: dict[str, Any]) -> list[tuple[str, object]]:
    """Return the grant's fields this import quotes, under their spreadsheet titles, in order."""
    out: list[tuple[str, object]] = []
    for title, path in TITLE_PATHS.items():
        if title in ("Description", "Related Activity", "Data Source"):
            continue
        v: Any = grant
        for p in path:
            if isinstance(v, dict):
                v = v.get(p)  # type: ignore[call-overload]
            elif isinstance(v, list) and isinstance(p, int) and len(v) > p:
                v = v[p]
            else:
                v = None
        out.append((title, v))
    return out


# -- reading -------------------------------------------------------------------------------------


def _is_json(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".json"


def iter_records(path: Path) -> Iterator[tuple[str, int | None, dict[str, Any]]]:
    """Yield ``(locator, line, grant)`` for each grant of a JSON package or spreadsheet."""
    if _is_json(path):
        yield from _json_grants(path)
    else:
        yield from _sheet_grants(path)


def _json_grants(path: Path) -> Iterator[tuple[str, int | None, dict[str, Any]]]:
    try:
        with path.open("rb") as f:
            for i, grant in enumerate(ijson.items(f, "grants.item", use_float=False)):
                yield f"/grants/{i}", None, grant
    except ijson.JSONError as exc:
        raise ImportInputError(f"{path}: invalid JSON: {exc}") from None
    except OSError as exc:
        raise ImportInputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _package_meta(path: Path) -> dict[str, Any]:
    """Read the package's fields other than ``grants`` (an event-level pass skipping grants)."""
    meta: dict[str, Any] = {}
    try:
        with path.open("rb") as f:
            it = ijson.parse(f, use_float=False)
            for prefix, event, value in it:
                if prefix == "" and event == "start_map":
                    continue
                if prefix == "" and event == "end_map":
                    break
                if prefix == "" and event == "map_key":
                    key = value
                    if key == "grants":
                        depth = 0
                        for _p, ev, _v in it:
                            if ev in ("start_array", "start_map"):
                                depth += 1
                            elif ev in ("end_array", "end_map"):
                                depth -= 1
                                if depth == 0:
                                    break
                            elif depth == 0:
                                break
                        continue
                    builder = ijson.ObjectBuilder()
                    depth = 0
                    for _p, ev, v in it:
                        builder.event(ev, v)
                        if ev in ("start_array", "start_map"):
                            depth += 1
                        elif ev in ("end_array", "end_map"):
                            depth -= 1
                        if depth == 0:
                            break
                    meta[key] = builder.value
    except ijson.JSONError as exc:
        raise ImportInputError(f"{path}: invalid JSON: {exc}") from None
    return meta


def _sheet_grants(path: Path) -> Iterator[tuple[str, int | None, dict[str, Any]]]:
    for locator, line, row in read_table_rows(path, None):
        grant: dict[str, Any] = {}
        for title, value in row.items():
            if value is None or value == "":
                continue
            p = TITLE_PATHS.get(title)
            if p is None:
                continue
            if title in _NUMBERS:
                # text that is no number stays text: the schema names it (not of type number)
                with contextlib.suppress(ArithmeticError):
                    value = Decimal(str(value).strip())
            elif title == "Related Activity":
                value = [v.strip() for v in str(value).split("|") if v.strip()]
            elif not isinstance(value, str):
                value = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)
            node: Any = grant
            for k, nxt in zip(p, p[1:], strict=False):
                if isinstance(k, int):
                    continue
                if isinstance(nxt, int):
                    node = node.setdefault(k, [{}])[0]
                else:
                    node = node.setdefault(k, {})
            node[p[-1]] = value
        yield locator, line, grant


# -- mapping --------------------------------------------------------------------------------------


def _org(raw: dict[str, Any], where: str) -> IncomingOrg:
    ident = str(raw.get("id") or "").strip()
    parse_org_id(ident, where)
    country = raw.get("addressCountry")
    code = (
        country.strip().upper() if isinstance(country, str) and len(country.strip()) == 2 else None
    )
    return IncomingOrg(
        name=str(raw.get("name") or ident).strip(),
        country=check_country(code, where) if code else None,
        identifiers=(ident,),
    )


def _amount(value: object, currency: str, where: str) -> str:
    v = check_amount(value, where)
    return bnode(
        [
            ("a", "schema:MonetaryAmount"),
            ("schema:value", typed(v, "decimal")),
            ("schema:currency", lit(currency)),
        ]
    )


def _interval(start: str | None, end: str | None) -> str:
    pairs = [("a", "time:Interval")]
    if start:
        pairs.append(
            (
                "time:hasBeginning",
                bnode([("a", "time:Instant"), ("time:inXSDDate", typed(start, "date"))]),
            )
        )
    if end:
        pairs.append(
            ("time:hasEnd", bnode([("a", "time:Instant"), ("time:inXSDDate", typed(end, "date"))]))
        )
    return bnode(pairs)


def map_grant(
    b: Builder, grant: dict[str, Any], where: str, locator: str, line: int | None
) -> tuple[str, str, str, list[str]] | None:
    """Map one validated grant; return (award, funder, recipient, related ids) or None."""
    q = Quote(locator, render_fields(quote_pairs(grant)), line)
    if "recipientOrganization" not in grant:
        b.count("grants to individuals (not imported)")
        return None
    currency = check_currency(grant.get("currency"), f"{where}/currency")
    funder_raw = grant["fundingOrganization"][0]
    funder = b.org(_org(funder_raw, f"{where}/fundingOrganization/0/id"), q)
    recipients = [
        b.org(_org(r, f"{where}/recipientOrganization/{i}/id"), q)
        for i, r in enumerate(grant["recipientOrganization"])
    ]
    award = mint("award", str(grant["id"]).strip())
    pairs: list[tuple[str, str]] = [
        ("a", "mi:FundingAward"),
        ("dcterms:identifier", lit(str(grant["id"]))),
        ("schema:name", lit(str(grant["title"]))),
        ("schema:funder", iri(funder)),
    ]
    pairs += [("mi:recipient", iri(r)) for r in recipients]
    for i, prog in enumerate(grant.get("grantProgramme") or []):
        code = str(prog.get("code") or prog.get("title") or "").strip()
        if not code:
            continue
        fund = mint("fund", f"{funder_raw.get('id')}/{code}")
        b.gathered(
            fund,
            [("a", "mi:FundingProgramme"), ("skos:prefLabel", lit(str(prog.get("title") or code)))]
            + ([("dcterms:identifier", lit(str(prog["code"])))] if prog.get("code") else []),
            q,
            "programmes",
        )
        pairs.append(("mi:awardedUnder", iri(fund)))
        _ = i
    pairs.append(
        ("schema:amount", _amount(grant["amountAwarded"], currency, f"{where}/amountAwarded"))
    )
    if grant.get("amountDisbursed") is not None:
        pairs.append(
            (
                "mi:amountDisbursed",
                _amount(grant["amountDisbursed"], currency, f"{where}/amountDisbursed"),
            )
        )
    pairs.append(
        ("frapo:hasAwardDate", typed(check_date(grant["awardDate"], f"{where}/awardDate"), "date"))
    )
    planned = _first(grant, "plannedDates")
    start = (
        check_date(planned["startDate"], f"{where}/plannedDates/0/startDate")
        if planned.get("startDate")
        else None
    )
    end = (
        check_date(planned["endDate"], f"{where}/plannedDates/0/endDate")
        if planned.get("endDate")
        else None
    )
    if start and end and end < start:
        raise ImportInputError(
            f"{where}/plannedDates/0: impossible dates: ends {end} before it starts {start}"
        )
    if start or end:
        pairs.append(("dcterms:temporal", _interval(start, end)))
    for i, loc in enumerate(grant.get("beneficiaryLocation") or []):
        if loc.get("countryCode"):
            code = check_country(loc["countryCode"], f"{where}/beneficiaryLocation/{i}/countryCode")
            b.add_country(code)
            pairs.append(("dcterms:spatial", iri(ALL_PREFIXES["country"] + code)))
    if grant.get("regrantType"):
        rt = str(grant["regrantType"]).strip()
        if rt not in _REGRANT:
            raise ImportInputError(
                f"{where}/regrantType: unknown regrant type {rt!r} (FRG010 to FRG070)"
            )
        pairs.append(("mi:regrantType", iri(ALL_PREFIXES["regrant-type"] + rt)))
    if grant.get("description"):
        pairs.append(("dcterms:description", lit(str(grant["description"]))))
    b.node(award, pairs, q, "awards")
    related = [str(r) for r in grant.get("relatedActivity") or [] if isinstance(r, str)]
    return award, funder, recipients[0], related


def import_360giving(path: Path, b: Builder) -> dict[str, Any]:
    """Read, validate and map every grant of ``path`` into ``b``; return the package metadata."""
    validators = _validators()
    package_v = validators[2]
    meta: dict[str, Any] = {}
    if _is_json(path):
        meta = _package_meta(path)
        err = next(iter(package_v.iter_errors(meta)), None)
        if err is not None:
            raise ImportInputError(f"{path}: {_pointer(err.path) or '/'}: schema: {err.message}")
    is_json = _is_json(path)
    awards: dict[str, tuple[str, str]] = {}  # grant id -> (award IRI, recipient)
    chains: list[tuple[str, str, list[str]]] = []
    n = 0
    for locator, line, grant in iter_records(path):
        n += 1
        where = f"{path}: {locator}"
        if not is_json:
            # Errors name the spreadsheet column (its title), not the object path.
            try:
                _schema_error(where, grant, validators)
            except ImportInputError as exc:
                raise ImportInputError(_sheet_message(str(exc), where)) from None
            try:
                mapped = map_grant(b, grant, where, locator, line)
            except ImportInputError as exc:
                raise ImportInputError(_sheet_message(str(exc), where)) from None
        else:
            _schema_error(where, grant, validators)
            mapped = map_grant(b, grant, where, locator, line)
        if mapped is None:
            continue
        award, funder, recipient, related = mapped
        awards[str(grant["id"]).strip()] = (award, recipient)
        if related:
            chains.append((award, funder, related))
    if n == 0:
        raise ImportInputError(f"{path}: no grants (a 360Giving package needs grants[])")
    b.records = n
    for award, funder, related in chains:
        for rid in related:
            up = awards.get(rid)
            if up is not None and up[1] == funder:
                b.extra(award, [("mi:fundedFrom", iri(up[0]))])
                b.count("funding chain links")
    return meta


_PATH_TITLES = {p: t for t, p in TITLE_PATHS.items()}


def _sheet_message(message: str, where: str) -> str:
    """Rewrite ``…: /a/0/b: problem`` as ``…: column "A:B": problem`` for a spreadsheet row."""
    if not message.startswith(where):
        return message
    rest = message[len(where) :]
    if rest.startswith("/"):
        ptr, _, problem = rest.partition(": ")
        parts = tuple(int(x) if x.isdigit() else x for x in ptr.strip("/").split("/"))
        title = _PATH_TITLES.get(parts)
        if title:
            return f'{where}: column "{title}": {problem}'
        return f"{where}: {ptr.strip('/')}: {problem}"
    return message


def lookup(path: Path, locators: set[str]) -> dict[str, str]:
    """Render the records at ``locators`` again (for ``kg check-quotes``)."""
    out: dict[str, str] = {}
    for locator, _line, grant in iter_records(path):
        if locator in locators:
            out[locator] = render_fields(quote_pairs(grant))
    return out
