"""What every format's import shares: checks of codes and values, quotes, and the graph builder.

A format module (:mod:`kg.importers.giving360`, :mod:`kg.importers.iati`,
:mod:`kg.importers.sheet`) reads its records and calls a :class:`Builder`: ``org`` for every
organisation a record names (reconciled once per distinct organisation), ``node`` for every fact
(an award, a membership...), each with the :class:`Quote` of its record. Facts are written to
the output as soon as they are read (a million grants never sit in memory); organisations,
programmes and projects are gathered and written at the end, sorted by IRI, so the same input
always gives the same bytes.

The checks (:func:`check_currency`, :func:`check_date`, :func:`check_amount`,
:func:`parse_org_id`, :func:`check_country`) raise :class:`~kg.exceptions.ImportInputError` with
the record's locator, so every bad value is reported as ``FILE: LOCATOR: problem``.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TextIO

import pycountry

from kg.exceptions import ImportInputError
from kg.importers.turtle import block, bnode, iri, lit, mint, typed
from kg.namespaces import ALL_PREFIXES, VOCAB

__all__ = [
    "Builder",
    "IncomingOrg",
    "Quote",
    "SourceInfo",
    "check_amount",
    "check_country",
    "check_currency",
    "check_date",
    "org_iri",
    "parse_org_id",
    "render_fields",
]

_ORGID_FILE = Path(__file__).with_name("orgid-lists.txt")
_ORGID = re.compile(r"^([A-Z]{2}-[A-Z0-9_]+)-(\S+)$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
COUNTRY_SCHEME = VOCAB + "country"


@dataclass(frozen=True)
class Quote:
    """Where a record is in its file and its own field values (the quoted passage)."""

    locator: str
    exact: str
    line: int | None = None


@dataclass(frozen=True)
class SourceInfo:
    """The imported file as a source document."""

    path: Path
    fmt: str
    sha256: str
    iri: str
    title: str
    publisher: str | None = None
    licence: str | None = None


@dataclass
class IncomingOrg:
    """An organisation as one import states it (before reconciliation)."""

    name: str
    country: str | None = None
    kind: str | None = None
    identifiers: tuple[str, ...] = ()
    qids: tuple[str, ...] = ()
    alt_names: tuple[str, ...] = ()

    @property
    def own_iri(self) -> str:
        """The IRI the import mints for it: its org-id, else a UUID of name and country."""
        registered = [i for i in self.identifiers if not i.startswith("360G-")]
        if registered:
            return mint("actor", registered[0])
        if self.identifiers:
            return mint("actor", self.identifiers[0])
        key = f"{self.name.casefold().strip()}|{self.country or ''}"
        return mint("actor", str(uuid.uuid5(uuid.NAMESPACE_URL, "integration-kg:" + key)))


def render_fields(pairs: Iterable[tuple[str, object]]) -> str:
    """Render a record's stated fields as the quote: ``Title: value; Title: value``.

    Empty values are left out. The same function renders the record again when
    ``kg check-quotes`` looks it up at its locator.

    Examples
    --------
    >>> render_fields([("Identifier", "360G-x-1"), ("Amount", Decimal("10.50")), ("Note", "")])
    'Identifier: 360G-x-1; Amount: 10.50'
    """
    parts = []
    for k, v in pairs:
        if v is None or v == "":
            continue
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        parts.append(f"{k}: {' '.join(str(v).split())}")
    return "; ".join(parts)


def _bad(where: str, message: str) -> ImportInputError:
    return ImportInputError(f"{where}: {message}")


@cache
def orgid_lists() -> frozenset[str]:
    """Return the org-id.guide list codes an identifier may start with (``orgid-lists.txt``)."""
    lines = _ORGID_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(x.split("#")[0].strip() for x in lines if x.split("#")[0].strip())


def parse_org_id(value: str, where: str) -> tuple[str, str]:
    """Split an org-id identifier into list code and number, refusing an unknown list.

    ``360G-…`` identifiers (360Giving's own, for unregistered organisations) have list code
    ``360G``.

    Examples
    --------
    >>> parse_org_id("GB-CHC-1164883", "f.json: /grants/0")
    ('GB-CHC', '1164883')
    >>> parse_org_id("ZZ-ABC-1", "f.json: /grants/0")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.exceptions.ImportInputError: f.json: /grants/0: unknown org-id list 'ZZ-ABC' in ...
    """
    value = value.strip()
    if value.startswith("360G-") and len(value) > 5:
        return "360G", value[5:]
    m = _ORGID.match(value)
    if not m:
        raise _bad(
            where, f"identifier {value!r} is not an org-id (LIST-CODE-number, e.g. GB-CHC-1164883)"
        )
    if m.group(1) not in orgid_lists():
        raise _bad(
            where, f"unknown org-id list {m.group(1)!r} in identifier {value!r} (see org-id.guide)"
        )
    return m.group(1), m.group(2)


def check_qid(value: str, where: str) -> str:
    """Return a Wikidata QID (``Q42``) or raise."""
    value = value.strip()
    if not _QID.match(value):
        raise _bad(where, f"{value!r} is not a Wikidata QID (Q followed by digits)")
    return value


def check_currency(value: object, where: str) -> str:
    """Return an ISO 4217 currency code or raise (``pycountry``'s list)."""
    code = str(value or "").strip()
    if not code:
        raise _bad(where, "missing currency")
    if pycountry.currencies.get(alpha_3=code) is None or code != code.upper():
        raise _bad(where, f"unknown currency {code!r} (an ISO 4217 code such as EUR)")
    return code


def check_country(value: object, where: str) -> str:
    """Return an ISO 3166-1 alpha-2 country code (upper case) or raise."""
    code = str(value or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise _bad(where, f"unknown country code {value!r} (ISO 3166-1 alpha-2, e.g. LU)")
    return code


def check_amount(value: object, where: str) -> Decimal:
    """Return an amount as a Decimal, refusing text that is not a number and negative values."""
    if isinstance(value, bool):
        raise _bad(where, f"amount {value!r} is not a number")
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise _bad(where, f"amount {value!r} is not a number") from None
    if not d.is_finite():
        raise _bad(where, f"amount {value!r} is not a number")
    if d < 0:
        raise _bad(where, f"negative amount {value}")
    return d


def check_date(value: object, where: str) -> str:
    """Return the ``YYYY-MM-DD`` part of a date or date-time, refusing impossible dates."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    m = _DATE.match(text)
    if not m:
        raise _bad(where, f"date {text!r} is not YYYY-MM-DD")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        raise _bad(where, f"impossible date {text!r}") from None


def org_iri(identifier: str) -> str:
    """Return the IRI minted for an organisation with this identifier."""
    return mint("actor", identifier)


@dataclass
class _Org:
    iri: str
    existing: bool
    incoming: IncomingOrg
    quote: Quote
    candidates: list[tuple[str, float, str, tuple[str, ...]]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


#: Resolves an incoming organisation to (IRI, is it already in the graph, candidate matches as
#: (candidate IRI, score, verdict, reasons)).
Resolve = Callable[
    [IncomingOrg, str], tuple[str, bool, list[tuple[str, float, str, tuple[str, ...]]]]
]


class Builder:
    """Write an import's graph: facts streamed to ``out``, organisations gathered till the end.

    Parameters
    ----------
    out : TextIO
        The temporary Turtle file (the header is already written).
    source : SourceInfo
        The imported file.
    resolve : callable
        Reconciles an :class:`IncomingOrg` (see :mod:`kg.importers.reconciling`).
    known_countries : frozenset of str
        Country codes the country scheme already has; others are declared in the import.
    """

    def __init__(
        self,
        out: TextIO,
        source: SourceInfo,
        resolve: Resolve,
        known_countries: frozenset[str],
    ) -> None:
        self.out = out
        self.source = source
        self._resolve = resolve
        self._known_countries = known_countries
        #: Local names of the concepts of each code list (``kind``, ``position``...).
        self.concepts: dict[str, frozenset[str]] = {}
        self._orgs: dict[str, _Org] = {}  # keyed by the incoming org's own IRI
        self._nodes: dict[str, list[tuple[str, str]]] = {}
        self._countries: set[str] = set()
        self.counts: dict[str, int] = {}
        self.records = 0
        self.candidate_rows: list[dict[str, str]] = []

    # -- quotes -----------------------------------------------------------------------------

    def quote(self, q: Quote) -> str:
        """Write ``q`` as the object of ``prov:wasDerivedFrom`` (an inline specific resource)."""
        pairs = [("a", "oa:SpecificResource"), ("oa:hasSource", iri(self.source.iri))]
        pairs.append(("mi:locator", lit(q.locator)))
        if q.line is not None:
            pairs.append(("mi:line", str(q.line)))
        sel = bnode([("a", "oa:TextQuoteSelector"), ("oa:exact", lit(q.exact))])
        pairs.append(("oa:hasSelector", sel))
        return bnode(pairs)

    def count(self, what: str, n: int = 1) -> None:
        """Add ``n`` to the count of ``what`` (reported in the import's activity)."""
        self.counts[what] = self.counts.get(what, 0) + n

    # -- organisations ----------------------------------------------------------------------

    def org(self, incoming: IncomingOrg, q: Quote) -> str:
        """Return the IRI of the organisation ``incoming`` (reconciled on first sight)."""
        key = incoming.own_iri
        known = self._orgs.get(key)
        if known is not None:
            if incoming.name and incoming.name not in known.labels:
                known.labels.append(incoming.name)
            return known.iri
        target, existing, candidates = self._resolve(incoming, key)
        self._orgs[key] = _Org(target, existing, incoming, q, candidates, [incoming.name])
        if incoming.country:
            self._countries.add(incoming.country)
        self.count("organisations matched by identifier" if existing else "organisations new")
        for cand, score, verdict, reasons in candidates:
            self.count("candidate matches")
            self.candidate_rows.append(
                {
                    "incoming": key,
                    "incoming_name": incoming.name,
                    "incoming_country": incoming.country or "",
                    "incoming_identifiers": "|".join(incoming.identifiers),
                    "record": q.locator,
                    "verdict": verdict,
                    "candidate": cand,
                    "score": f"{score:.3f}",
                    "reasons": "; ".join(reasons),
                }
            )
        return target

    # -- gathered nodes (programmes, projects) -------------------------------------------------

    def gathered(self, subject: str, pairs: list[tuple[str, str]], q: Quote, what: str) -> str:
        """Describe ``subject`` once (first record wins), written at the end sorted by IRI."""
        if subject not in self._nodes:
            self._nodes[subject] = [*pairs, ("prov:wasDerivedFrom", self.quote(q))]
            self.count(what)
        return subject

    def add_country(self, code: str) -> None:
        """Note a country code used by a fact, so that it is declared if the scheme lacks it."""
        self._countries.add(code)

    # -- streamed facts ---------------------------------------------------------------------

    def node(self, subject: str, pairs: list[tuple[str, str]], q: Quote, what: str) -> None:
        """Write one fact node now, with its quote."""
        self.out.write(block(iri(subject), [*pairs, ("prov:wasDerivedFrom", self.quote(q))]))
        self.count(what)

    def extra(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        """Write more statements about an already written node (e.g. a link found later)."""
        self.out.write(block(iri(subject), pairs))

    # -- the end ------------------------------------------------------------------------------

    def finish(self) -> None:
        """Write the organisations, programmes, projects and any new country concepts."""
        blocks: dict[str, str] = {}
        for o in self._orgs.values():
            blocks.setdefault(o.iri, "")
            blocks[o.iri] += self._org_block(o)
        for subject, pairs in self._nodes.items():
            blocks[subject] = blocks.get(subject, "") + block(iri(subject), pairs)
        for code in sorted(self._countries - self._known_countries):
            c = pycountry.countries.get(alpha_2=code)
            subject = ALL_PREFIXES["country"] + code
            blocks[subject] = block(
                iri(subject),
                [
                    ("a", "skos:Concept"),
                    ("skos:inScheme", iri(COUNTRY_SCHEME)),
                    ("skos:notation", lit(code)),
                    ("skos:prefLabel", lit(c.name if c else code, "en")),
                ],
            )
        for subject in sorted(blocks):
            self.out.write(blocks[subject])

    def _org_block(self, o: _Org) -> str:
        inc = o.incoming
        pairs: list[tuple[str, str]] = []
        if not o.existing:
            registered = [i for i in inc.identifiers if not i.startswith("360G-")]
            pairs.append(("a", "org:FormalOrganization" if registered else "org:Organization"))
            pairs.append(("skos:prefLabel", lit(o.labels[0])))
            names = o.labels[1:] + [n for n in inc.alt_names if n not in o.labels]
            pairs.append(
                ("org:classification", iri(ALL_PREFIXES["kind"] + (inc.kind or "not-stated")))
            )
            if inc.country:
                pairs.append(("mi:country", iri(ALL_PREFIXES["country"] + inc.country)))
        else:
            # An organisation already in the graph keeps its own labels, kind and country; the
            # import adds its identifiers and the record that names it.
            names = []
        pairs += [("skos:altLabel", lit(n)) for n in names if n]
        for ident in inc.identifiers:
            pairs.append(("org:identifier", lit(ident)))
            scheme, _ = parse_org_id(ident, "")
            pairs.append(
                (
                    "adms:identifier",
                    bnode(
                        [
                            ("a", "adms:Identifier"),
                            ("skos:notation", lit(ident)),
                            ("adms:schemaAgency", lit(scheme)),
                            (
                                "dcterms:conformsTo",
                                iri(
                                    "https://org-id.guide/list/" + scheme
                                    if scheme != "360G"
                                    else "https://standard.threesixtygiving.org/"
                                ),
                            ),
                        ]
                    ),
                )
            )
        for qid in inc.qids:
            pairs.append(("owl:sameAs", f"<http://www.wikidata.org/entity/{qid}>"))
        for cand, score, verdict, reasons in o.candidates:
            match = [
                ("a", "mi:CandidateMatch"),
                ("mi:candidate", iri(cand)),
                ("mi:matchScore", typed(Decimal(f"{score:.3f}"), "decimal")),
                ("mi:matchVerdict", lit(verdict)),
            ]
            match += [("mi:matchReason", lit(r)) for r in reasons]
            pairs.append(("mi:candidateMatch", bnode(match)))
        pairs.append(("prov:wasDerivedFrom", self.quote(o.quote)))
        return block(iri(o.iri), pairs)
