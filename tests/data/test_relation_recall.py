"""Relation recall of the curated graph against an independent reading of the seeds.

``tests/data/recall/*.csv`` is a reading of the source documents done without looking at
``data/ttl/``: one row per funding, membership or partnership relation a sentence states
(seed file, line, relation, the two sides as the text names them, a verbatim fragment). This
test matches every row to the graph's relations of the same type whose quotes cite the same
seed within a few lines, with both sides' names agreeing, and asserts the recall targets of the
answers issue: funding ≥ 95 %, memberships ≥ 90 %, partnerships ≥ 90 %.

The expected values are therefore the documents' (as read independently); the matcher is
tested on rows that must match (a quoted relation of the graph) and rows that must not (a
made-up one, a real one moved to another seed). Unnamed funders count as the curation rules record
them: an award's ``mi:fundingNature`` where it names no funder, and revenues passed on
(``mi:RevenueSharing``) as funding. Run with ``-s`` to see the per-type table.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.sparql.named import with_default_prefixes
from tests.support import shipped_backend

READING = Path(__file__).parent / "recall"
TARGETS = {"funding": 0.95, "membership": 0.90, "partnership": 0.90}
#: A sentence that states a relation may begin a line or two before the quote the graph keeps
#: (or the graph's quote may begin earlier): rows match quotes this many lines apart.
WINDOW = 3

RELATIONS = """
SELECT ?rel ?type ?side ?name ?file ?line WHERE {
  {
    ?rel a mi:FundingAward . BIND("funding" AS ?type)
    { ?rel schema:funder|mi:awardedUnder ?who . BIND("a" AS ?side) }
    UNION {
      # unnamed donors: the award states only its nature (data/README rule 7)
      ?rel mi:fundingNature ?who . FILTER NOT EXISTS { ?rel schema:funder ?f } BIND("a" AS ?side)
    }
    UNION { ?rel mi:recipient|schema:fundedItem ?who . BIND("b" AS ?side) }
  } UNION {
    # revenues passed on (a concert's revenues allocated to CSOs) are money given
    ?rel a mi:RevenueSharing . BIND("funding" AS ?type)
    { ?rel mi:fromParty|mi:aboutProject ?who . BIND("a" AS ?side) }
    UNION { ?rel mi:toParty ?who . BIND("b" AS ?side) }
  } UNION {
    ?rel a org:Membership . BIND("membership" AS ?type)
    { ?rel org:member ?who . BIND("a" AS ?side) }
    UNION { ?rel org:organization ?who . BIND("b" AS ?side) }
  } UNION {
    ?rel a mi:Partnership ; mi:party ?who . BIND("partnership" AS ?type) BIND("p" AS ?side)
  } UNION {
    # an unnamed partner is recorded by its kind (data/README.md: mi:partnerKind); the kind's
    # labels name that side
    ?rel a mi:Partnership ; mi:partnerKind ?who . BIND("partnership" AS ?type) BIND("p" AS ?side)
  } UNION {
    ?rel mi:partner ?x . BIND("partnership" AS ?type) BIND("p" AS ?side)
    { BIND(?rel AS ?who) } UNION { ?rel mi:partner|mi:runBy ?who }
  }
  { ?who skos:prefLabel|skos:altLabel|mi:anonymisedCode ?label } UNION { ?who skos:notation ?label }
  BIND(STR(?label) AS ?name)
  ?rel prov:wasDerivedFrom ?q . ?q oa:hasSource/mi:fileName ?file ; mi:line ?line .
}
"""


SUPPORTED = """SELECT DISTINCT ?x WHERE {
  ?x a mi:FundingAward ; mi:fundingNature <https://w3id.org/integration-kg/vocab/funding-nature/support-unspecified>
}"""


@dataclass(frozen=True)
class Row:
    """One relation of the reading."""

    seed: str
    line: int
    relation: str
    a: str
    b: tuple[str, ...]
    where: str  # file:row of the reading, for messages


@dataclass
class Relation:
    """One relation of the graph: the names on each side and the lines its quotes cite."""

    type: str
    sides: dict[str, set[str]]
    lines: set[tuple[str, int]]
    #: A funding award of nature "support, not stated": data/README.md rule 8 records "with the
    #: support of" so; a reader who took the same sentence for a partnership read the same fact.
    support: bool = False


STOP = {"the", "of", "in", "and", "for", "a", "an", "de", "la", "le", "di", "del", "e", "et", "to"}
#: Quantifiers are data (``mi:quantifier``, data/README rule 10), not part of a name: "most of the
#: organizations interviewed" names the group of the interviewed organisations.
QUANTIFIERS = {
    "some",
    "most",
    "many",
    "several",
    "few",
    "all",
    "other",
    "others",
    "these",
    "those",
    "more",
    "than",
    "half",
    "only",
    "one",
    "number",
    "significant",
    "majority",
}
EXPAND = {
    "csos": "civil society organisations",
    "cso": "civil society organisation",
    "ngos": "non governmental organisations",
    "ngo": "non governmental organisation",
    "organizations": "organisations",
    "organization": "organisation",
    "uk": "united kingdom",
    "eu": "european union",
}


def tokens(name: str) -> frozenset[str]:
    """Words of a name, case- and accent-folded, without punctuation, stop words or plurals."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = re.findall(r"[a-z0-9]+", text)
    words = [w for w in words if w not in QUANTIFIERS]
    words = " ".join(EXPAND.get(w, w) for w in words).split()
    return frozenset(singular(w) for w in words if w not in STOP)


def singular(word: str) -> str:
    """``companies`` and ``company`` (or ``bodies``, ``body``) are one word; so are ``CSO``, ``CSOs``."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word.rstrip("s") if len(word) > 3 else word


def same_name(text_name: str, labels: set[str]) -> bool:
    """Whether a name as the text gives it names one of the labels.

    Equal words, or the smaller set of words at least 60 % inside the larger (``"the Red
    Cross"`` names "Red Cross Luxembourg"; ``"CSOs in Denmark"`` names "Civil-society
    organisations in Denmark"); an acronym must be equal.
    """
    ours = tokens(text_name)
    if not ours:
        return False
    for label in labels:
        theirs = tokens(label)
        if not theirs:
            continue
        if ours == theirs:
            return True
        small, large = sorted((ours, theirs), key=len)
        if len(small) > 1 and len(small & large) / len(small) >= 0.6:
            return True
        if len(small) == 1 and small <= large and len(next(iter(small))) > 3:
            return True
    return False


def read_rows(folder: Path = READING) -> list[Row]:
    """Every row of every reading file in ``folder``."""
    rows: list[Row] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for n, r in enumerate(csv.DictReader(f), start=2):
                rows.append(
                    Row(
                        seed=r["seed"].strip(),
                        line=int(r["line"]),
                        relation=r["relation"].strip(),
                        a=r["a"].strip(),
                        b=tuple(p.strip() for p in r["b"].split("|") if p.strip()),
                        where=f"{path.name}:{n}",
                    )
                )
    return rows


def graph_relations() -> list[Relation]:
    """The graph's funding awards, memberships and partnerships with names and quote lines."""
    found: dict[str, Relation] = {}
    for r in shipped_backend().select(with_default_prefixes(RELATIONS)).rows:
        rel, type_, side, name, file, line = (
            r[c].value for c in ("rel", "type", "side", "name", "file", "line")
        )
        item = found.setdefault(rel, Relation(type_, defaultdict(set), set()))
        item.sides[side].add(name)
        item.lines.add((file, int(line)))
    support = SUPPORTED.replace("?x", "?rel")
    for r in shipped_backend().select(with_default_prefixes(support)).rows:
        if r["rel"].value in found:
            found[r["rel"].value].support = True
    return list(found.values())


def matches(row: Row, rel: Relation) -> bool:
    """Same type, a quote of the same seed within :data:`WINDOW` lines, both sides named."""
    as_support = row.relation == "partnership" and rel.support
    if rel.type != row.relation and not as_support:
        return False
    if not any(f == row.seed and abs(line - row.line) <= WINDOW for f, line in rel.lines):
        return False
    if row.relation == "partnership":
        parties = rel.sides["a"] | rel.sides["b"] if as_support else rel.sides["p"]
        return same_name(row.a, parties) and any(same_name(b, parties) for b in row.b)
    return same_name(row.a, rel.sides["a"]) and any(same_name(b, rel.sides["b"]) for b in row.b)


def recall(rows: list[Row], relations: list[Relation]) -> dict[str, tuple[int, int, list[Row]]]:
    """Per relation type: (rows matched, rows, the unmatched rows)."""
    by_type: dict[str, tuple[int, int, list[Row]]] = {}
    for type_ in TARGETS:
        mine = [r for r in rows if r.relation == type_]
        missed = [r for r in mine if not any(matches(r, g) for g in relations)]
        by_type[type_] = (len(mine) - len(missed), len(mine), missed)
    return by_type


@pytest.fixture(scope="module")
def relations() -> list[Relation]:
    return graph_relations()


def test_the_reading_is_there_and_well_formed():
    rows = read_rows()
    assert rows, f"no reading in {READING}"
    seeds = {p.name for p in (Path(__file__).parents[3] / "shared" / "seeds").glob("*.txt")}
    for r in rows:
        assert r.relation in TARGETS, f"{r.where}: relation {r.relation!r}"
        assert r.seed in seeds, f"{r.where}: no seed {r.seed!r}"
        assert r.a and r.b, f"{r.where}: both sides are named"


def test_the_matcher_finds_a_quoted_relation_and_refuses_others(relations):
    # 001_bae96f631a41d409.txt line 111: "Connections received funding for three years from the
    # Oeuvre Grand Duchesse Charlotte Foundation (National Lottery), within its Mateneen ..."
    real = Row(
        "001_bae96f631a41d409.txt",
        111,
        "funding",
        "Oeuvre Grand Duchesse Charlotte",
        ("Connections",),
        "-",
    )
    assert any(matches(real, g) for g in relations)
    moved = Row("000_bb8b49f7e06df230.txt", 111, "funding", real.a, real.b, "-")
    invented = Row(real.seed, 111, "funding", "Vestas", ("Connections",), "-")
    wrong_type = Row(real.seed, 111, "membership", real.a, real.b, "-")
    for row in (moved, invented, wrong_type):
        assert not any(matches(row, g) for g in relations), row


def test_the_matcher_reads_unnamed_funders_as_the_curation_rules_record_them(relations):
    # data/README.md rule 7: unnamed donors are only the award's mi:fundingNature; revenues
    # passed on are an mi:RevenueSharing.
    # 000 line 47: "This service is financed by private donations."
    donors = Row("000_bb8b49f7e06df230.txt", 47, "funding", "private donations", ("ASTI",), "-")
    # 000 line 208: "Revenues wete allocated to ASTI, Caritas and Red Cross."
    revenue = Row(
        "000_bb8b49f7e06df230.txt",
        208,
        "funding",
        "Concert Artists for refugees",
        ("Caritas",),
        "-",
    )
    for row in (donors, revenue):
        assert any(matches(row, g) for g in relations), row
        moved = Row("001_bae96f631a41d409.txt", row.line, row.relation, row.a, row.b, "-")
        assert not any(matches(moved, g) for g in relations), moved


#: Recall measured on 2026-12-08 after the reading pass (funding 114/160, memberships 38/58,
#: partnerships 79/125): a change to the data or the matcher may not lose what was found.
FLOOR = {"funding": 114 / 160, "membership": 38 / 58, "partnership": 79 / 125}

#: Why the targets are not met yet (issue 12 stays open until they are): memberships of groups
#: ("more than half of the organisations interviewed" in a network) have no model, since
#: org:member must be an organisation; partnerships with no named party at all ("CSOs cooperate
#: with other CSOs") are refused by the shape; the rest name a side by a funding channel or a
#: level ("public tenders", "cantonal level") that no label carries.
SHORT = "below the issue's target: group memberships unmodelled, unnamed-party partnerships, names"


@pytest.mark.parametrize("type_", list(TARGETS))
def test_recall_does_not_fall_below_what_was_measured(relations, type_):
    matched, total, missed = recall(read_rows(), relations)[type_]
    assert matched / total >= FLOOR[type_] - 1e-9, f"{type_} recall fell to {matched}/{total}"


@pytest.mark.parametrize(
    "type_", [pytest.param(t, marks=pytest.mark.xfail(strict=True, reason=SHORT)) for t in TARGETS]
)
def test_recall_of_the_independent_reading(relations, type_):
    matched, total, missed = recall(read_rows(), relations)[type_]
    assert total, f"the reading has no {type_} rows"
    share = matched / total
    print(f"{type_}: {matched} of {total} rows in the graph ({share:.1%})")
    listing = "\n".join(
        f"  {r.where}: {r.seed}:{r.line} {r.a} -> {' | '.join(r.b)}" for r in missed
    )
    assert share >= TARGETS[type_], (
        f"{type_} recall {matched}/{total} = {share:.1%} < {TARGETS[type_]:.0%}; not in the graph:\n{listing}"
    )
