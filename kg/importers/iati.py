"""IATI activity XML 2.03: activities as projects, transactions as funding awards.

The file is parsed with lxml (line numbers kept) and validated against the IATI activity schema
(``iati-activities-schema.xsd`` of ``../shared/standards/iati-2.03/schema/`` or
``KG_IATI_SCHEMA_DIR``); a schema error is reported with its line. Then, per activity:

- the activity is an ``mi:Initiative`` (a ``schema:Project``) named after its first title
  narrative, with ``mi:country`` for each ``recipient-country``, ``schema:startDate`` /
  ``schema:endDate`` from ``activity-date`` (actual dates, else planned), and
  ``dcterms:isPartOf`` its parent when a ``related-activity`` of type 1 names one;
- participating organisations by role (IATI OrganisationRole): 1 Funding -> funder of the
  activity's award, 4 Implementing -> ``mi:runBy`` and recipient of that award, 2 Accountable
  and 3 Extending -> ``mi:partner``; their IATI organisation ``type`` gives the kind
  (:data:`KINDS`); the role and type are quoted with the record;
- each transaction is an ``mi:FundingAward`` from its ``provider-org`` (for outgoing
  transactions, types 2, 3 and 4, that do not name one: the reporting organisation, as the
  IATI standard reads them) to its ``receiver-org``, ``schema:fundedItem`` the activity, with
  ``mi:transactionType``; commitments (2, 11) and incoming funds (1) carry ``schema:amount`` and
  ``frapo:hasAwardDate``, disbursements and expenditure (3, 4) ``mi:amountDisbursed`` and
  ``dcterms:date``. A transaction with no provider at all is counted and left out;
- an activity with Funding organisations and no transactions gets one award (funders to
  implementers) so that who funds it is not lost.

Each fact quotes its element's own attributes and names; the locator is an XPath
(``/iati-activities/iati-activity[2]/transaction[1]``) with ``mi:line``.

The mapping is Python for the reasons given in :mod:`kg.importers.giving360`.
"""

from __future__ import annotations

import os
from functools import cache
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
    parse_org_id,
    render_fields,
)
from kg.importers.turtle import bnode, iri, lit, mint, typed
from kg.namespaces import ALL_PREFIXES

__all__ = ["KINDS", "import_iati", "lookup"]

#: IATI OrganisationType code -> kind concept (``ontology/vocab/kind.ttl``).
KINDS = {
    "10": "government",
    "11": "municipality",
    "15": "public-agency",
    "21": "cso",
    "22": "cso",
    "23": "cso",
    "24": "cso",
    "40": "international-organisation",
    "60": "foundation",
    "70": "company",
    "71": "company",
    "72": "company",
    "73": "company",
    "80": "education",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_OUTGOING = {"2", "3", "4"}
_COMMITMENT = {"1", "2", "11"}
_TYPES = {str(n) for n in range(1, 14)}


def schema_file() -> Path:
    """Return the IATI activities schema (``KG_IATI_SCHEMA_DIR`` or the shared copy)."""
    env = os.environ.get("KG_IATI_SCHEMA_DIR")
    d = (
        Path(env)
        if env
        else Path(__file__).resolve().parents[2].parent
        / "shared"
        / "standards"
        / "iati-2.03"
        / "schema"
    )
    return d / "iati-activities-schema.xsd"


@cache
def _schema() -> Any:
    from lxml import etree

    f = schema_file()
    if not f.is_file():
        raise ImportInputError(f"{f}: IATI schema not found; set KG_IATI_SCHEMA_DIR")
    return etree.XMLSchema(etree.parse(str(f)))


def _parse(path: Path) -> Any:
    from lxml import etree

    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else exc.lineno
        raise ImportInputError(f"{path}: line {line}: invalid XML: {exc.msg}") from None
    except OSError as exc:
        raise ImportInputError(f"{path}: cannot read ({exc})") from None
    root = tree.getroot()
    if root.tag != "iati-activities":
        raise ImportInputError(
            f"{path}: line {root.sourceline}: root element is <{root.tag}>, not <iati-activities>"
        )
    if root.get("version") != "2.03":
        raise ImportInputError(
            f"{path}: line {root.sourceline}: IATI version {root.get('version')!r}; "
            "this import reads 2.03"
        )
    schema = _schema()
    if not schema.validate(tree):
        e = schema.error_log[0]
        raise ImportInputError(f"{path}: line {e.line}: schema: {e.message}")
    return root


def _name(el: Any) -> str:
    if el is None:
        return ""
    n = el.find("narrative")
    return " ".join((n.text or "").split()) if n is not None else ""


def _org(el: Any, where: str) -> IncomingOrg | None:
    ref = (el.get("ref") or "").strip()
    name = _name(el)
    if not ref and not name:
        return None
    if ref:
        parse_org_id(ref, where)
    return IncomingOrg(
        name=name or ref, kind=KINDS.get(el.get("type") or ""), identifiers=(ref,) if ref else ()
    )


def _activity_pairs(act: Any) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = [
        ("iati-identifier", (act.findtext("iati-identifier") or "").strip())
    ]
    pairs.append(("title", _name(act.find("title"))))
    rep = act.find("reporting-org")
    if rep is not None:
        pairs.append(("reporting-org", f"{rep.get('ref', '')} {_name(rep)}".strip()))
    for po in act.findall("participating-org"):
        pairs.append(
            (
                "participating-org",
                f"{po.get('ref', '')} {_name(po)} "
                f"(role {po.get('role')}, type {po.get('type', '-')})".strip(),
            )
        )
    for rc in act.findall("recipient-country"):
        pairs.append(("recipient-country", rc.get("code")))
    for ad in act.findall("activity-date"):
        pairs.append((f"activity-date type {ad.get('type')}", ad.get("iso-date")))
    return pairs


def _transaction_pairs(act: Any, tr: Any) -> list[tuple[str, object]]:
    value = tr.find("value")
    prov = tr.find("provider-org")
    recv = tr.find("receiver-org")
    tt = tr.find("transaction-type")
    td = tr.find("transaction-date")
    return [
        ("iati-identifier", (act.findtext("iati-identifier") or "").strip()),
        ("transaction-type", tt.get("code") if tt is not None else None),
        ("transaction-date", td.get("iso-date") if td is not None else None),
        ("value", (value.text or "").strip() if value is not None else None),
        (
            "currency",
            (value.get("currency") if value is not None else None) or act.get("default-currency"),
        ),
        (
            "provider-org",
            f"{prov.get('ref', '')} {_name(prov)}".strip() if prov is not None else None,
        ),
        (
            "receiver-org",
            f"{recv.get('ref', '')} {_name(recv)}".strip() if recv is not None else None,
        ),
    ]


def _amount(value: object, currency: str) -> str:
    return bnode(
        [
            ("a", "schema:MonetaryAmount"),
            ("schema:value", typed(value, "decimal")),
            ("schema:currency", lit(currency)),
        ]
    )


def _records(root: Any) -> list[tuple[str, Any, Any | None]]:
    out = []
    for i, act in enumerate(root.findall("iati-activity"), start=1):
        base = f"/iati-activities/iati-activity[{i}]"
        out.append((base, act, None))
        for j, tr in enumerate(act.findall("transaction"), start=1):
            out.append((f"{base}/transaction[{j}]", act, tr))
    return out


def import_iati(path: Path, b: Builder) -> dict[str, Any]:
    """Read, validate and map the activities of ``path`` into ``b``."""
    root = _parse(path)
    n = 0
    for i, act in enumerate(root.findall("iati-activity"), start=1):
        n += 1
        base = f"/iati-activities/iati-activity[{i}]"
        _activity(b, path, act, base)
    if n == 0:
        raise ImportInputError(f"{path}: line {root.sourceline}: no iati-activity")
    b.records = n
    return {"title": f"IATI activities: {path.name}"}


def _activity(b: Builder, path: Path, act: Any, base: str) -> None:
    line = act.sourceline
    where = f"{path}: line {line}"
    ident = (act.findtext("iati-identifier") or "").strip()
    if not ident:
        raise ImportInputError(f"{where}: missing iati-identifier")
    q = Quote(base, render_fields(_activity_pairs(act)), line)
    project = mint("project", ident)
    pairs: list[tuple[str, str]] = [("a", "mi:Initiative"), ("dcterms:identifier", lit(ident))]
    titles = act.find("title")
    langs: set[str] = set()
    for nar in titles.findall("narrative") if titles is not None else []:
        lang = nar.get(_XML_LANG) or act.get(_XML_LANG)
        text = " ".join((nar.text or "").split())
        if text and lang not in langs:
            langs.add(lang or "")
            pairs.append(("skos:prefLabel", lit(text, lang)))
    if not langs:
        raise ImportInputError(f"{where}: activity {ident} has no title narrative")
    for rc in act.findall("recipient-country"):
        code = check_country(rc.get("code"), f"{path}: line {rc.sourceline}")
        b.add_country(code)
        pairs.append(("mi:country", iri(ALL_PREFIXES["country"] + code)))
    dates: dict[str, str] = {}
    for ad in act.findall("activity-date"):
        dates[ad.get("type") or ""] = check_date(
            ad.get("iso-date"), f"{path}: line {ad.sourceline}"
        )
    start = dates.get("2") or dates.get("1")
    end = dates.get("4") or dates.get("3")
    if start:
        pairs.append(("schema:startDate", typed(start, "date")))
    if end:
        pairs.append(("schema:endDate", typed(end, "date")))
    if start and end and end < start:
        raise ImportInputError(
            f"{where}: impossible dates: activity ends {end} before it starts {start}"
        )
    for ra in act.findall("related-activity"):
        if ra.get("type") == "1" and ra.get("ref"):
            pairs.append(("dcterms:isPartOf", iri(mint("project", ra.get("ref").strip()))))
    funders: list[str] = []
    implementers: list[str] = []
    for po in act.findall("participating-org"):
        inc = _org(po, f"{path}: line {po.sourceline}")
        if inc is None:
            continue
        org = b.org(inc, q)
        role = po.get("role")
        if role == "1":
            funders.append(org)
        elif role == "4":
            implementers.append(org)
            pairs.append(("mi:runBy", iri(org)))
        else:
            pairs.append(("mi:partner", iri(org)))
    b.gathered(project, pairs, q, "projects")
    reporting = act.find("reporting-org")
    rep_org = None
    if reporting is not None:
        inc = _org(reporting, f"{path}: line {reporting.sourceline}")
        rep_org = b.org(inc, q) if inc else None
    transactions = act.findall("transaction")
    for j, tr in enumerate(transactions, start=1):
        _transaction(b, path, act, tr, f"{base}/transaction[{j}]", project, rep_org)
    if funders and not transactions:
        award = mint("award", f"{ident}/activity")
        apairs = [("a", "mi:FundingAward"), ("dcterms:identifier", lit(ident))]
        apairs += [("schema:funder", iri(f)) for f in funders]
        apairs += [("mi:recipient", iri(r)) for r in implementers]
        apairs.append(("schema:fundedItem", iri(project)))
        b.node(award, apairs, q, "awards")


def _transaction(
    b: Builder, path: Path, act: Any, tr: Any, locator: str, project: str, rep_org: str | None
) -> None:
    where = f"{path}: line {tr.sourceline}"
    tt = tr.find("transaction-type")
    code = tt.get("code") if tt is not None else None
    if code not in _TYPES:
        raise ImportInputError(
            f"{where}: unknown transaction type {code!r} (IATI TransactionType 1 to 13)"
        )
    value = tr.find("value")
    if value is None:
        raise ImportInputError(f"{where}: transaction without a value")
    amount = check_amount(value.text, f"{path}: line {value.sourceline}")
    currency = check_currency(
        value.get("currency") or act.get("default-currency"), f"{path}: line {value.sourceline}"
    )
    td = tr.find("transaction-date")
    date = check_date(
        td.get("iso-date") if td is not None else None,
        f"{path}: line {td.sourceline if td is not None else tr.sourceline}",
    )
    q = Quote(locator, render_fields(_transaction_pairs(act, tr)), tr.sourceline)
    prov_el = tr.find("provider-org")
    provider = None
    if prov_el is not None:
        inc = _org(prov_el, f"{path}: line {prov_el.sourceline}")
        provider = b.org(inc, q) if inc else None
    if provider is None and code in _OUTGOING:
        provider = rep_org
    if provider is None:
        b.count("transactions without a provider (not imported)")
        return
    recv_el = tr.find("receiver-org")
    receiver = None
    if recv_el is not None:
        inc = _org(recv_el, f"{path}: line {recv_el.sourceline}")
        receiver = b.org(inc, q) if inc else None
    ident = (act.findtext("iati-identifier") or "").strip()
    n = locator.rsplit("[", 1)[1].rstrip("]")
    pairs: list[tuple[str, str]] = [
        ("a", "mi:FundingAward"),
        ("dcterms:identifier", lit(f"{ident} transaction {n}")),
        ("schema:funder", iri(provider)),
    ]
    if receiver:
        pairs.append(("mi:recipient", iri(receiver)))
    pairs.append(("schema:fundedItem", iri(project)))
    pairs.append(("mi:transactionType", iri(ALL_PREFIXES["transaction-type"] + code)))
    if code in _COMMITMENT:
        pairs.append(("schema:amount", _amount(amount, currency)))
        pairs.append(("frapo:hasAwardDate", typed(date, "date")))
    else:
        pairs.append(("mi:amountDisbursed", _amount(amount, currency)))
        pairs.append(("dcterms:date", typed(date, "date")))
    b.node(mint("award", f"{ident}/transaction/{n}"), pairs, q, "awards")


def lookup(path: Path, locators: set[str]) -> dict[str, str]:
    """Render the elements at ``locators`` again (for ``kg check-quotes``)."""
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    out: dict[str, str] = {}
    for locator, act, tr in _records(root):
        if locator in locators:
            out[locator] = render_fields(
                _activity_pairs(act) if tr is None else _transaction_pairs(act, tr)
            )
    return out
