"""Write a synthetic graph of integration actors and funders at any size, for scale tests.

The graph follows the ontology and every shape in ``ontology/shapes/`` (``kg validate`` conforms
on it), with the structure real grant data has:

- countries drawn from ``ontology/vocab/country.ttl`` with Zipf-distributed shares (Germany,
  France, Italy... first), organisations' kinds, activities and target groups from the code lists;
- EU funds (``fund:amif``, ``fund:esf-plus``, managed by ``actor:european-commission``) with a
  national programme per country, national integration programmes run by ministries, national
  lotteries whose operator runs a lottery fund and feeds foundations, foundations with one to
  three programmes each, municipal programmes;
- funding awards with amounts in EUR, periods, natures and statuses; funding chains
  (``mi:fundedFrom``): EU → ministry → umbrella body → member, lottery → foundation →
  organisation, ministry → municipality → organisation;
- heavy tails: funders chosen with Zipf weights, the number of awards per recipient drawn from a
  Pareto law, partners and referral targets chosen by preferential attachment;
- umbrella memberships nested three levels (European network ← national umbrella ← regional
  umbrella ← organisation), partnerships, referrals, placement hosting, projects and events;
- position assessments at the three levels (organisation, kind of CSO in a country, a country's
  CSOs) and aggregate figures (the number of CSOs generated per country);
- provenance on every node: a quote (``oa:TextQuoteSelector``) citing one synthetic
  ``mi:SourceDocument`` whose text the generator writes next to the Turtle files
  (``synthetic-s<seed>.txt``, one quote per line, ``mi:line`` pointing at it). The file is not
  in the seeds folder, so ``kg check-quotes`` does not look at it; the generator's own test does.

Output is streamed: every node is written as soon as it is drawn; only small per-node integers
(country, degree lists for preferential attachment, upstream award ids) stay in memory. The same
``(orgs, seed, errors)`` always gives byte-identical files. About 118 triples are written per
organisation (:data:`TRIPLES_PER_ORG`; small graphs use fewer countries to keep the fixed part
small), so ``orgs=85`` gives ~10k triples, ``orgs=8_475`` ~1M and ``orgs=84_746`` ~10M (10M
triples take ~10 s and ~40 MB of memory to write).

``errors=RATE`` injects located errors for robustness tests, listed in ``manifest.json``
(file, line, node, kind, the shape expected to fire): in one file broken Turtle, in another an
ill-typed literal (both stop :mod:`kg.loader.load` with the file and line), and at ``RATE`` per node
wrong datatypes, dangling references, negative amounts and periods that end before they begin
(reported by ``kg validate`` and :mod:`kg.validate.engine`). A separate random stream draws the
errors, so the graph around them is the same as without ``errors``.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox

from kg.exceptions import InvalidParameterError, KGError
from kg.namespaces import ALL_PREFIXES, BASE_IRI, prefix_block
from kg.settings import Settings, get_settings

__all__ = ["GenerateStats", "InjectedError", "generate", "generate_360giving", "orgs_for_triples"]

TRIPLES_PER_ORG = 118  # measured at 1k and 10k organisations

PREFIXES = prefix_block(
    (
        "mi",
        "org",
        "skos",
        "prov",
        "oa",
        "schema",
        "dcterms",
        "time",
        "xsd",
        "actor",
        "fund",
        "project",
        "award",
        "membership",
        "rel",
        "assessment",
        "group",
        "figure",
        "src",
        "kind",
        "position",
        "activity",
        "level",
        "target",
        "country",
        "membership-role",
        "relation-nature",
        "funding-nature",
        "funding-status",
        "ptype",
        "measure",
        "unit",
    )
)

VOCAB = BASE_IRI + "vocab/"
# Larger EU countries first: the Zipf rank order of country shares (codes missing from
# country.ttl are skipped, codes not listed here follow in file order).
COUNTRY_RANK = ("DE", "FR", "IT", "ES", "PL", "NL", "BE", "SE", "AT", "GR", "PT", "CZ", "DK", "FI")
COUNTRY_RANK += ("SK", "IE", "NO", "CH", "GB", "LU")
# Kinds of the "ordinary" organisations, with weights.
ORG_KINDS = (
    ("cso", 52),
    ("migrant-association", 14),
    ("social-enterprise", 7),
    ("citizens-initiative", 6),
    ("religious-body", 5),
    ("education", 4),
    ("company", 5),
    ("trade-union", 2),
    ("employer-body", 2),
    ("public-agency", 3),
)
# Concepts the generator names directly; generate() checks they are in the code lists.
REQUIRED = {
    "kind": [k for k, _ in ORG_KINDS]
    + [
        "umbrella",
        "network",
        "ministry",
        "municipality",
        "foundation",
        "lottery-operator",
        "eu-institution",
        "research-project",
    ],
    "programme-type": [
        "eu-fund",
        "national-programme",
        "municipal-programme",
        "lottery",
        "foundation-programme",
    ],
    "funding-nature": ["grant", "tender", "per-participant", "lottery-allocation"],
    "funding-status": ["ongoing", "ended", "cut", "refused"],
    "level": [
        "community",
        "urban",
        "regional",
        "nationwide",
        "international",
        "assessed-organisation",
        "assessed-kind",
        "assessed-country",
    ],
    "membership-role": ["member"],
    "measure": ["csos-identified"],
    "unit": ["count"],
    "relation-nature": ["formal-partnership", "informal-cooperation", "employer-cooperation"],
}
NAME_WORDS = [
    "Welcome",
    "Bridges",
    "Horizons",
    "Together",
    "Open",
    "Doors",
    "New",
    "Roots",
    "Common",
    "Ground",
    "Solidarity",
    "Crossroads",
    "Harbour",
    "Compass",
    "Lighthouse",
    "Neighbours",
    "Voices",
    "Pathways",
    "Kitchen",
    "Table",
    "Future",
    "Unity",
    "Mosaic",
    "Anchor",
    "Circle",
    "Garden",
    "Harvest",
    "Ladder",
    "Beacon",
    "Haven",
]
NAME_FORMS = (
    "{w} Association",
    "{w} Network",
    "Friends of {w}",
    "{w} Refugee Aid",
    "{w} Integration Centre",
    "{w} Community Project",
    "{w} Migrant Support",
    "{w} Foundation for Newcomers",
)
KIND_WORDS = {
    "cso": "a civil-society organisation",
    "migrant-association": "a migrant association",
    "social-enterprise": "a social enterprise",
    "citizens-initiative": "a citizens' initiative",
    "religious-body": "a religious body",
    "education": "a school",
    "company": "a company",
    "trade-union": "a trade union",
    "employer-body": "an employers' body",
    "public-agency": "a public agency",
    "umbrella": "an umbrella body",
    "network": "a European network",
}


@dataclass(frozen=True)
class InjectedError:
    """One error written on purpose (``errors=RATE``), with where to find it."""

    kind: str
    file: str
    line: int
    node: str
    shape: str | None
    detail: str


@dataclass
class GenerateStats:
    """What :func:`generate` wrote."""

    orgs: int
    seed: int
    out: str
    triples: int = 0
    files: list[str] = field(default_factory=list)
    source_text: str = ""
    nodes: dict[str, int] = field(default_factory=dict)
    errors: list[InjectedError] = field(default_factory=list)
    bytes: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    def manifest(self) -> dict[str, Any]:
        """Return what ``manifest.json`` holds: :meth:`to_dict` less timing and folder."""
        d = self.to_dict()
        d.pop("seconds")
        d.pop("out")
        return d


def orgs_for_triples(triples: int) -> int:
    """Return the ``orgs`` that gives about ``triples`` triples (at least 20)."""
    return max(20, round(triples / TRIPLES_PER_ORG))


# --------------------------------------------------------------------------------------------
# Turtle writing


def _lit(text: str, lang: str | None = "en") -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{esc}"@{lang}' if lang else f'"{esc}"'


Obj = str | list[tuple[str, "Obj"]]


def _po(pairs: Sequence[tuple[str, Obj]], sep: str) -> tuple[str, int]:
    """Serialise predicate-object pairs (objects may be nested blank nodes); count triples."""
    parts: list[str] = []
    n = 0
    for p, o in pairs:
        if isinstance(o, list):
            inner, k = _po(o, " ; ")
            parts.append(f"{p} [ {inner} ]")
            n += k + 1
        else:
            parts.append(f"{p} {o}")
            n += 1
    return sep.join(parts), n


def _node(subject: str, pairs: Sequence[tuple[str, Obj]]) -> tuple[str, int]:
    body, n = _po(pairs, " ;\n    ")
    return f"{subject} {body} .\n", n


class _TurtleFile:
    """A Turtle file being streamed; counts its lines so errors can be located."""

    def __init__(self, path: Path, title: str) -> None:
        self.path = path
        self.fh: TextIO = path.open("w", encoding="utf-8", newline="\n")
        self.line = 1
        self.triples = 0
        self.write(f"# {title}\n# Synthetic data written by kg.synthetic; not a real register.\n")
        self.write(PREFIXES + "\n")

    def write(self, text: str) -> int:
        """Write text; return the line it starts on."""
        start = self.line
        self.fh.write(text)
        self.line += text.count("\n")
        return start

    def node(self, subject: str, pairs: Sequence[tuple[str, Obj]]) -> int:
        """Write one node; return its first line."""
        text, n = _node(subject, pairs)
        self.triples += n
        self.last = text
        return self.write(text)

    def line_of(self, start: int, needle: str) -> int:
        """Return the line of ``needle`` in the node last written from line ``start``."""
        idx = self.last.find(needle)
        return start + (self.last.count("\n", 0, idx) if idx >= 0 else 0)

    def close(self) -> None:
        self.fh.close()


# --------------------------------------------------------------------------------------------
# Code lists


def _concepts(settings: Settings) -> dict[str, list[str]]:
    """Local names of the concepts of every scheme, in file order, from ontology/vocab/."""
    out: dict[str, list[str]] = {}
    vocab_dir = settings.ontology_dir / "vocab"
    for path in sorted(vocab_dir.glob("*.ttl")):
        seen: list[str] = []
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if (
                t.predicate.value == "http://www.w3.org/2004/02/skos/core#inScheme"
                and isinstance(t.subject, ox.NamedNode)
                and isinstance(t.object, ox.NamedNode)
            ):
                scheme = t.object.value.removeprefix(VOCAB)
                local = t.subject.value.removeprefix(VOCAB + scheme + "/")
                if local != t.subject.value and local not in seen:
                    seen.append(local)
                    out.setdefault(scheme, []).append(local)
    for scheme, names in REQUIRED.items():
        missing = [n for n in names if n not in out.get(scheme, [])]
        if missing:
            raise KGError(
                f"kg generate: ontology/vocab/{scheme}.ttl lacks {', '.join(missing)} "
                "(the generator names these concepts)"
            )
    if not out.get("country") or not out.get("position"):
        raise KGError("kg generate: the country and position code lists are empty")
    return out


def _labels(settings: Settings, scheme: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    path = settings.ontology_dir / "vocab" / f"{scheme}.ttl"
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if t.predicate.value == "http://www.w3.org/2004/02/skos/core#prefLabel":
            labels[t.subject.value.rsplit("/", 1)[-1]] = t.object.value
    return labels


# --------------------------------------------------------------------------------------------
# The generator


class _Sampler:
    """Draw indexes with fixed weights (cumulative weights + bisect)."""

    def __init__(self, weights: Sequence[float]) -> None:
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def draw(self, rng: random.Random) -> int:
        return min(bisect.bisect_right(self.cum, rng.random() * self.total), len(self.cum) - 1)


def _zipf(n: int, s: float = 1.1) -> list[float]:
    return [1.0 / (r + 1) ** s for r in range(n)]


@dataclass
class _Source:
    """One way money reaches an organisation: a funder, a programme, an upstream award."""

    funder: str
    label: str
    programme: str | None
    programme_label: str
    upstream: str | None
    nature: str
    scale: float  # median amount in EUR


class _Gen:
    def __init__(
        self, orgs: int, seed: int, out: Path, errors: float, settings: Settings, load_errors: bool
    ) -> None:
        self.load_errors = load_errors
        self.n = orgs
        self.seed = seed
        self.out = out
        self.rate = errors
        self.rng = random.Random(seed)
        self.err_rng = random.Random(seed * 7919 + 17)
        self.concepts = _concepts(settings)
        self.country_names = _labels(settings, "country")
        self.stats = GenerateStats(orgs=orgs, seed=seed, out=str(out))
        self.src = f"src:synthetic-s{seed}"
        self.text_name = f"synthetic-s{seed}.txt"
        self.text: TextIO = (out / self.text_name).open("w", encoding="utf-8", newline="\n")
        self.text_line = 0
        self.file: _TurtleFile | None = None
        self.dangling = itertools.count(1)
        self.assessed: set[str] = set()
        codes = self.concepts["country"]
        ranked = [c for c in COUNTRY_RANK if c in codes] + [
            c for c in codes if c not in COUNTRY_RANK and c not in ("EU", "INT", "US")
        ]
        # Small graphs use fewer countries, so that fixed costs (ministries, funds) stay small.
        ranked = ranked[: max(2, min(len(ranked), round(math.sqrt(orgs) / 2)))]
        self.countries = ranked
        self.country_sampler = _Sampler(_zipf(len(ranked), 1.1))
        share = _zipf(len(ranked), 1.1)
        total = sum(share)
        self.share = [s / total for s in share]
        self.positions = [
            p for p in self.concepts["position"] if not p.startswith("innovative-creative-")
        ] or self.concepts["position"]

    # -- helpers ---------------------------------------------------------------------------

    def count(self, what: str) -> None:
        self.stats.nodes[what] = self.stats.nodes.get(what, 0) + 1

    def quote(self, sentence: str) -> list[tuple[str, Obj]]:
        """Write ``sentence`` as the next line of the source text; return the quote node."""
        self.text.write(sentence + "\n")
        self.text_line += 1
        return [
            ("a", "oa:SpecificResource"),
            ("oa:hasSource", self.src),
            ("mi:line", str(self.text_line)),
            ("oa:hasSelector", [("a", "oa:TextQuoteSelector"), ("oa:exact", _lit(sentence, None))]),
        ]

    def open(self, name: str, title: str) -> _TurtleFile:
        if self.file is not None:
            self.close_file()
        self.file = _TurtleFile(self.out / name, title)
        return self.file

    def close_file(self) -> None:
        assert self.file is not None
        self.file.close()
        self.stats.triples += self.file.triples
        self.stats.files.append(self.file.path.name)
        self.file = None

    def emit(self, subject: str, pairs: list[tuple[str, Obj]], what: str) -> int:
        assert self.file is not None
        self.count(what)
        return self.file.node(subject, pairs)

    def inject(self) -> bool:
        return self.rate > 0 and self.err_rng.random() < self.rate

    def record(
        self, kind: str, line: int, node: str, shape: str | None, detail: str, needle: str = ""
    ) -> None:
        assert self.file is not None
        if needle:
            line = self.file.line_of(line, needle)
        self.stats.errors.append(
            InjectedError(kind, self.file.path.name, line, _expand(node), shape, detail)
        )

    def period(self, start: int, end: int) -> list[tuple[str, Obj]]:
        def instant(y: int) -> list[tuple[str, Obj]]:
            return [("a", "time:Instant"), ("time:inXSDgYear", f'"{y}"^^xsd:gYear')]

        return [
            ("a", "time:Interval"),
            ("time:hasBeginning", instant(start)),
            ("time:hasEnd", instant(end)),
        ]

    def amount(self, scale: float) -> int:
        return max(500, int(round(self.rng.lognormvariate(math.log(scale), 0.9), -2)))

    def years(self) -> tuple[int, int]:
        start = 2008 + int(self.rng.triangular(0, 17, 14))
        return start, min(2027, start + self.rng.choice((0, 1, 1, 2, 2, 3, 4, 5)))

    def status(self, end: int) -> str:
        r = self.rng.random()
        if r < 0.04:
            return "cut"
        if r < 0.06:
            return "refused"
        return "ended" if end < 2025 else "ongoing"

    # -- the parts ---------------------------------------------------------------------------

    def run(self) -> GenerateStats:
        t0 = time.perf_counter()
        n_chunks = max(1, math.ceil(self.n / self.chunk))
        bad = self.rate > 0 and self.load_errors
        self.broken_chunk = self.err_rng.randrange(n_chunks) if bad else -1
        self.illtyped_chunk = (self.broken_chunk + 1) % n_chunks if bad and n_chunks > 1 else -1
        self.source_document()
        self.funders()
        self.networks()
        self.organisations(n_chunks)
        self.typology()
        self.text.close()
        self.stats.source_text = self.text_name
        self.stats.bytes = sum((self.out / f).stat().st_size for f in self.stats.files)
        self.stats.seconds = round(time.perf_counter() - t0, 3)
        return self.stats

    chunk = 500

    def source_document(self) -> None:
        f = self.open("00-source.ttl", "The synthetic source document every quote cites")
        f.node(
            self.src,
            [
                ("a", "mi:SourceDocument"),
                (
                    "dcterms:title",
                    _lit(f"Synthetic register of integration actors (seed {self.seed})"),
                ),
                ("mi:fileName", _lit(self.text_name, None)),
            ],
        )
        self.count("SourceDocument")
        self.close_file()

    def org(
        self,
        iri: str,
        label: str,
        kind: str,
        cc: str,
        *,
        cls: str = "org:FormalOrganization",
        level: str | None = None,
        extra: list[tuple[str, Obj]] | None = None,
    ) -> list[tuple[str, Obj]]:
        where = self.country_names.get(cc, cc)
        words = KIND_WORDS.get(kind, "an organisation")
        pairs: list[tuple[str, Obj]] = [
            ("a", cls),
            ("skos:prefLabel", _lit(label)),
            ("org:classification", f"kind:{kind}"),
            ("mi:country", f"country:{cc}"),
        ]
        if level:
            pairs.append(("mi:levelOfOperation", f"level:{level}"))
        pairs += extra or []
        pairs.append(("prov:wasDerivedFrom", self.quote(f"{label} is {words} in {where}.")))
        return pairs

    def programme(
        self, iri: str, label: str, ptype: str, cc: str, manager: str, part_of: str | None = None
    ) -> None:
        pairs: list[tuple[str, Obj]] = [
            ("a", "mi:FundingProgramme"),
            ("skos:prefLabel", _lit(label)),
            ("mi:programmeType", f"ptype:{ptype}"),
            ("mi:country", f"country:{cc}"),
            ("mi:managedBy", manager),
        ]
        if part_of:
            pairs.append(("dcterms:isPartOf", part_of))
        pairs.append(
            ("prov:wasDerivedFrom", self.quote(f"The programme {label} is run by {manager}."))
        )
        self.emit(iri, pairs, "FundingProgramme")

    def award(
        self,
        iri: str,
        src: _Source,
        recipient: str,
        recipient_label: str,
        *,
        project: str | None = None,
    ) -> None:
        """Write one award; errors may be injected here (amount, period, funder)."""
        value = self.amount(src.scale)
        start, end = self.years()
        status = self.status(end)
        pairs: list[tuple[str, Obj]] = [
            ("a", "mi:FundingAward"),
            ("schema:funder", src.funder),
            ("mi:recipient", recipient),
        ]
        if src.programme:
            pairs.append(("mi:awardedUnder", src.programme))
        if project:
            pairs.append(("schema:fundedItem", project))
        err: tuple[str, str | None, str, str] | None = None
        if self.inject():
            kind = self.err_rng.choice(
                ("negative-amount", "end-before-start", "dangling", "datatype")
            )
            if kind == "negative-amount":
                value = -value
                err = (kind, "MonetaryAmountShape", f"schema:value {value}", "schema:value")
            elif kind == "end-before-start":
                start, end = end + 2, start
                err = (kind, "IntervalOrderShape", f"period {start}-{end}", "dcterms:temporal")
            elif kind == "dangling":
                missing = f"actor:missing-{next(self.dangling)}"
                pairs[1] = ("schema:funder", missing)
                err = (
                    kind,
                    "FundingAwardShape",
                    f"schema:funder {missing} is not defined",
                    "schema:funder",
                )
            else:
                err = (
                    kind,
                    "MonetaryAmountShape",
                    f'schema:value "{value}" (a string)',
                    "schema:value",
                )
        amount_obj = f'"{value}"' if err and err[0] == "datatype" else str(value)
        pairs += [
            (
                "schema:amount",
                [
                    ("a", "schema:MonetaryAmount"),
                    ("schema:value", amount_obj),
                    ("schema:currency", '"EUR"'),
                ],
            ),
            ("mi:amountText", _lit(f"EUR {abs(value):,}", None)),
            ("mi:fundingNature", f"funding-nature:{src.nature}"),
            ("mi:fundingStatus", f"funding-status:{status}"),
            ("dcterms:temporal", self.period(start, end)),
        ]
        if src.upstream:
            pairs.append(("mi:fundedFrom", src.upstream))
        via = f" under {src.programme_label}" if src.programme else ""
        pairs.append(
            (
                "prov:wasDerivedFrom",
                self.quote(
                    f"{src.label} awarded EUR {abs(value):,} to {recipient_label}{via} "
                    f"({start}-{end}, {status})."
                ),
            )
        )
        line = self.emit(iri, pairs, "FundingAward")
        if err:
            self.record(err[0], line, iri, err[1], err[2], err[3])

    def funders(self) -> None:
        self.open("01-funders.ttl", "EU funds, ministries, lotteries, foundations, municipalities")
        rng = self.rng
        ec = "actor:european-commission"
        self.emit(ec, self.org(ec, "European Commission", "eu-institution", "EU"), "Organisation")
        self.consortium = "actor:synthetic-research-consortium"
        self.emit(
            self.consortium,
            self.org(
                self.consortium,
                "Synthetic Research Consortium",
                "research-project",
                "INT",
                level="international",
            ),
            "Organisation",
        )
        self.programme("fund:amif", "Asylum, Migration and Integration Fund", "eu-fund", "EU", ec)
        self.programme("fund:esf-plus", "European Social Fund Plus", "eu-fund", "EU", ec)
        # Sources of money per country, in decreasing weight (Zipf over this order).
        self.sources: dict[str, list[_Source]] = {}
        self.samplers: dict[str, _Sampler] = {}
        self.regrant: dict[str, list[_Source]] = {}
        for ci, cc in enumerate(self.countries):
            lc = cc.lower()
            name = self.country_names.get(cc, cc)
            size = self.share[ci] * self.n
            ministry = f"actor:{lc}-ministry-of-integration"
            labour = f"actor:{lc}-ministry-of-labour"
            m_label = f"Ministry of Integration of {name}"
            l_label = f"Ministry of Labour of {name}"
            self.emit(
                ministry,
                self.org(ministry, m_label, "ministry", cc, level="nationwide"),
                "Organisation",
            )
            self.emit(
                labour,
                self.org(labour, l_label, "ministry", cc, level="nationwide"),
                "Organisation",
            )
            amif_cc, esf_cc, nat = (
                f"fund:amif-{lc}",
                f"fund:esf-plus-{lc}",
                f"fund:{lc}-integration-programme",
            )
            self.programme(
                amif_cc, f"AMIF national programme {name}", "eu-fund", cc, ministry, "fund:amif"
            )
            self.programme(esf_cc, f"ESF+ programme {name}", "eu-fund", cc, labour, "fund:esf-plus")
            self.programme(
                nat, f"National integration programme of {name}", "national-programme", cc, ministry
            )
            eu_src = _Source(
                ec,
                "European Commission",
                "fund:amif",
                "AMIF",
                None,
                "grant",
                2e7 * self.share[ci] * 10,
            )
            top_amif = f"award:european-commission--{lc}-ministry-of-integration-amif"
            self.award(top_amif, eu_src, ministry, m_label)
            eu_esf = _Source(
                ec,
                "European Commission",
                "fund:esf-plus",
                "ESF+",
                None,
                "grant",
                3e7 * self.share[ci] * 10,
            )
            top_esf = f"award:european-commission--{lc}-ministry-of-labour-esf-plus"
            self.award(top_esf, eu_esf, labour, l_label)
            srcs = [
                _Source(
                    ministry,
                    m_label,
                    amif_cc,
                    f"AMIF national programme {name}",
                    top_amif,
                    "grant",
                    60000,
                ),
                _Source(
                    labour, l_label, esf_cc, f"ESF+ programme {name}", top_esf, "tender", 80000
                ),
                _Source(
                    ministry,
                    m_label,
                    nat,
                    f"National integration programme of {name}",
                    None,
                    "grant",
                    30000,
                ),
            ]
            # The national lottery and the foundation it feeds.
            lottery = f"actor:{lc}-national-lottery"
            lot_label = f"National Lottery of {name}"
            self.emit(
                lottery,
                self.org(lottery, lot_label, "lottery-operator", cc, level="nationwide"),
                "Organisation",
            )
            lot_fund = f"fund:{lc}-lottery-fund"
            self.programme(lot_fund, f"Lottery good-causes fund of {name}", "lottery", cc, lottery)
            n_found = max(1, round(size / 60))
            for k in range(n_found):
                fo = f"actor:{lc}-foundation-{k + 1}"
                fo_label = f"{rng.choice(NAME_WORDS)} Foundation {name} {k + 1}"
                self.emit(
                    fo, self.org(fo, fo_label, "foundation", cc, level="nationwide"), "Organisation"
                )
                upstream = None
                if k < 3:  # the largest foundations receive lottery money
                    upstream = f"award:{lc}-national-lottery--{lc}-foundation-{k + 1}"
                    self.award(
                        upstream,
                        _Source(
                            lottery,
                            lot_label,
                            lot_fund,
                            "the lottery good-causes fund",
                            None,
                            "lottery-allocation",
                            5e5,
                        ),
                        fo,
                        fo_label,
                    )
                for j in range(1 + (rng.random() < 0.5) + (rng.random() < 0.2)):
                    prog = f"fund:{lc}-foundation-{k + 1}-programme-{j + 1}"
                    p_label = f"{fo_label} programme {j + 1}"
                    self.programme(prog, p_label, "foundation-programme", cc, fo)
                    srcs.append(_Source(fo, fo_label, prog, p_label, upstream, "grant", 15000))
            n_mun = max(1, round(size / 150))
            for k in range(n_mun):
                mu = f"actor:{lc}-municipality-{k + 1}"
                mu_label = f"Municipality {k + 1} of {name}"
                self.emit(
                    mu, self.org(mu, mu_label, "municipality", cc, level="urban"), "Organisation"
                )
                prog = f"fund:{lc}-municipality-{k + 1}-programme"
                p_label = f"Integration grants of {mu_label}"
                self.programme(prog, p_label, "municipal-programme", cc, mu)
                up = f"award:{lc}-ministry-of-integration--{lc}-municipality-{k + 1}"
                self.award(
                    up,
                    _Source(
                        ministry,
                        m_label,
                        nat,
                        "the national integration programme",
                        None,
                        "grant",
                        2e5,
                    ),
                    mu,
                    mu_label,
                )
                srcs.append(
                    _Source(
                        mu,
                        mu_label,
                        prog,
                        p_label,
                        up,
                        rng.choice(("grant", "per-participant")),
                        8000,
                    )
                )
            head, tail = srcs[:3], srcs[3:]
            rng.shuffle(tail)  # foundations and municipalities: Zipf over a random order
            self.sources[cc] = head + tail
            self.samplers[cc] = _Sampler(_zipf(len(self.sources[cc]), 1.2))
            self.regrant[cc] = []
        self.close_file()

    def networks(self) -> None:
        """European networks, national and regional umbrella bodies, nested memberships."""
        self.open("02-networks.ttl", "Umbrella bodies and networks, and their nested memberships")
        rng = self.rng
        self.euro: list[str] = []
        for k in range(max(2, round(self.n / 5000))):
            iri = f"actor:european-network-{k + 1}"
            label = f"European {NAME_WORDS[k % len(NAME_WORDS)]} Network {k + 1}"
            self.emit(
                iri, self.org(iri, label, "network", "EU", level="international"), "Organisation"
            )
            self.euro.append(iri)
        self.umbrellas: dict[str, list[tuple[str, str]]] = {}
        self.umbrella_sampler: dict[str, _Sampler] = {}
        for ci, cc in enumerate(self.countries):
            lc = cc.lower()
            name = self.country_names.get(cc, cc)
            size = self.share[ci] * self.n
            ministry = f"actor:{lc}-ministry-of-integration"
            national: list[tuple[str, str]] = []
            for k in range(max(1, round(size / 250))):
                iri = f"actor:{lc}-national-umbrella-{k + 1}"
                label = f"National Council of {rng.choice(NAME_WORDS)} Organisations {name} {k + 1}"
                self.emit(
                    iri, self.org(iri, label, "umbrella", cc, level="nationwide"), "Organisation"
                )
                national.append((iri, label))
                body = self.euro[rng.randrange(len(self.euro))]
                self.membership(iri, label, body)
                # Umbrellas re-grant national money to their members: a funding chain.
                up = f"award:{lc}-ministry-of-integration--{lc}-national-umbrella-{k + 1}"
                m_label = f"Ministry of Integration of {name}"
                self.award(
                    up,
                    _Source(
                        ministry,
                        m_label,
                        f"fund:amif-{lc}",
                        f"AMIF national programme {name}",
                        f"award:european-commission--{lc}-ministry-of-integration-amif",
                        "grant",
                        4e5,
                    ),
                    iri,
                    label,
                )
                self.regrant[cc].append(_Source(iri, label, None, "", up, "grant", 10000))
            regional: list[tuple[str, str]] = []
            for k in range(max(1, round(size / 80))):
                iri = f"actor:{lc}-regional-umbrella-{k + 1}"
                label = f"Regional {rng.choice(NAME_WORDS)} Platform {name} {k + 1}"
                self.emit(
                    iri, self.org(iri, label, "umbrella", cc, level="regional"), "Organisation"
                )
                regional.append((iri, label))
                parent = national[rng.randrange(len(national))][0]
                self.membership(iri, label, parent)
            bodies = national + regional
            self.umbrellas[cc] = bodies
            self.umbrella_sampler[cc] = _Sampler(_zipf(len(bodies), 0.8))
        self.close_file()

    def membership(
        self, member: str, member_label: str, body: str, *, role: str = "member"
    ) -> None:
        m = member.removeprefix("actor:")
        b = body.removeprefix("actor:")
        iri = f"membership:{m}--{b}"
        start = 1995 + int(self.rng.triangular(0, 30, 25))
        pairs: list[tuple[str, Obj]] = [
            ("a", "org:Membership"),
            ("org:member", member),
            ("org:organization", body),
            ("org:role", f"membership-role:{role}"),
        ]
        err = None
        if self.inject():
            missing = f"actor:missing-{next(self.dangling)}"
            pairs[2] = ("org:organization", missing)
            err = (
                "dangling",
                "MembershipShape",
                f"org:organization {missing} is not defined",
                "org:organization",
            )
        if self.rng.random() < 0.3:
            end = min(2026, start + self.rng.randint(1, 10))
            pairs.append(("org:memberDuring", self.period(start, end)))
        pairs.append(
            ("prov:wasDerivedFrom", self.quote(f"{member_label} is a member of {b} since {start}."))
        )
        line = self.emit(iri, pairs, "Membership")
        if err:
            self.record(err[0], line, iri, err[1], err[2], err[3])

    def organisations(self, n_chunks: int) -> None:
        rng = self.rng
        kinds = [k for k, _ in ORG_KINDS]
        kind_sampler = _Sampler([w for _, w in ORG_KINDS])
        activities = self.concepts.get("activity", [])
        targets = self.concepts.get("target", [])
        levels = ["community", "urban", "regional", "nationwide", "international"]
        level_sampler = _Sampler([20, 35, 20, 20, 5])
        rel_natures = ["formal-partnership", "informal-cooperation"]
        # Preferential attachment: endpoint lists per country (an org appears once per edge + 1).
        ends: dict[str, list[int]] = {cc: [] for cc in self.countries}
        all_ends: list[int] = []
        org_cc: list[int] = []
        org_kind: list[int] = []
        companies: dict[str, list[int]] = {cc: [] for cc in self.countries}
        self.cso_count = dict.fromkeys(self.countries, 0)
        self.kind_count: dict[tuple[str, str], int] = {}
        org_assessed = False
        for chunk in range(n_chunks):
            first, last = chunk * self.chunk, min(self.n, (chunk + 1) * self.chunk)
            f = self.open(
                f"orgs-{chunk:04d}.ttl", f"Organisations {first + 1}-{last} and their relations"
            )
            for i in range(first, last):
                if chunk == self.broken_chunk and i == first + (last - first) // 2:
                    line = f.write('actor:broken-node skos:prefLabel "an unterminated string ;\n')
                    self.record(
                        "syntax", line, "actor:broken-node", None, "unterminated string literal"
                    )
                ci = self.country_sampler.draw(rng)
                cc = self.countries[ci]
                lc = cc.lower()
                ki = kind_sampler.draw(rng)
                kind = kinds[ki]
                org_cc.append(ci)
                org_kind.append(ki)
                iri = f"actor:{lc}-org-{i + 1}"
                label = f"{rng.choice(NAME_FORMS).format(w=rng.choice(NAME_WORDS))} {i + 1}"
                extra: list[tuple[str, Obj]] = []
                if activities:
                    for a in sorted({rng.choice(activities) for _ in range(rng.randint(1, 3))}):
                        extra.append(("org:purpose", f"activity:{a}"))
                if targets:
                    for t in sorted({rng.choice(targets) for _ in range(rng.randint(1, 2))}):
                        extra.append(("mi:targetGroup", f"target:{t}"))
                year = 1950 + int(rng.triangular(0, 74, 70))
                err = None
                if self.inject():
                    extra.append(("schema:foundingDate", f'"{year}"'))
                    err = (
                        "datatype",
                        "OrganizationShape",
                        f'schema:foundingDate "{year}" (a string)',
                        "schema:foundingDate",
                    )
                elif chunk == self.illtyped_chunk and i == first:
                    extra.append(("schema:foundingDate", f'"{year}-02-30"^^xsd:date'))
                    err = (
                        "ill-typed",
                        None,
                        f'schema:foundingDate "{year}-02-30"^^xsd:date',
                        "schema:foundingDate",
                    )
                else:
                    extra.append(("schema:foundingDate", f'"{year}"^^xsd:gYear'))
                if rng.random() < 0.1:
                    extra.append(("skos:altLabel", _lit(f"ORG{i + 1}")))
                cls = (
                    "org:Organization"
                    if kind == "citizens-initiative"
                    else "org:FormalOrganization"
                )
                if kind == "cso" and rng.random() < 0.01:
                    cls = "mi:AnonymousOrganisation"
                    extra.append(("mi:anonymisedCode", _lit(f"{i + 1}_CSO_{cc}", None)))
                line = self.emit(
                    iri,
                    self.org(
                        iri,
                        label,
                        kind,
                        cc,
                        cls=cls,
                        level=levels[level_sampler.draw(rng)],
                        extra=extra,
                    ),
                    "Organisation",
                )
                if err:
                    self.record(err[0], line, iri, err[1], err[2], err[3])
                if kind in ("cso", "migrant-association"):
                    self.cso_count[cc] += 1
                self.kind_count[(cc, kind)] = self.kind_count.get((cc, kind), 0) + 1
                if kind == "company":
                    companies[cc].append(i)
                # Funding: a Pareto number of awards (heavy-tailed recipients), Zipf funders.
                if kind not in ("company", "public-agency"):
                    n_awards = min(300, int(rng.paretovariate(1.4))) - (rng.random() < 0.35)
                    srcs, sampler = self.sources[cc], self.samplers[cc]
                    project = None
                    if rng.random() < 0.25:
                        project = self.project(i, iri, label, cc)
                    for k in range(n_awards):
                        src = srcs[sampler.draw(rng)]
                        fi = src.funder.removeprefix("actor:")
                        self.award(
                            f"award:{fi}--{lc}-org-{i + 1}-{k + 1}",
                            src,
                            iri,
                            label,
                            project=project if k == 0 else None,
                        )
                # Memberships in umbrella bodies (preferential among a country's bodies).
                bodies = self.umbrellas[cc]
                seen: set[int] = set()
                for _ in range(
                    (rng.random() < 0.55) + (rng.random() < 0.2) + (rng.random() < 0.05)
                ):
                    b = self.umbrella_sampler[cc].draw(rng)
                    if b in seen:
                        continue
                    seen.add(b)
                    body, body_label = bodies[b]
                    self.membership(iri, label, body)
                    if rng.random() < 0.15 and self.regrant[cc]:
                        src = self.regrant[cc][rng.randrange(len(self.regrant[cc]))]
                        if src.funder == body:
                            self.award(
                                f"award:{body.removeprefix('actor:')}--{lc}-org-{i + 1}-regrant",
                                src,
                                iri,
                                label,
                            )
                # Partnerships and referrals with earlier organisations (preferential attachment).
                pool = ends[cc] if ends[cc] and rng.random() < 0.8 else all_ends
                if pool:
                    partners = sorted(
                        {
                            pool[rng.randrange(len(pool))]
                            for _ in range(rng.choice((0, 0, 1, 1, 1, 2, 3)))
                        }
                    )
                    for j in partners:
                        self.partnership(i, iri, label, j, org_cc[j], rng.choice(rel_natures))
                        ends[self.countries[org_cc[j]]].append(j)
                        all_ends.append(j)
                    if rng.random() < 0.15:
                        j = pool[rng.randrange(len(pool))]
                        self.directed("referral", "mi:Referral", i, iri, label, j, org_cc[j])
                        ends[self.countries[org_cc[j]]].append(j)
                        all_ends.append(j)
                if companies[cc] and kind != "company" and rng.random() < 0.08:
                    j = companies[cc][rng.randrange(len(companies[cc]))]
                    self.directed("hosting", "mi:PlacementHosting", i, iri, label, j, org_cc[j])
                ends[cc].append(i)
                all_ends.append(i)
                # Organisation-level position assessments.
                if kind in ("cso", "migrant-association", "social-enterprise") and (
                    rng.random() < 0.04 or not org_assessed
                ):  # at least one per graph, so that the three levels are always there
                    org_assessed = True
                    self.assessment(iri, label, "assessed-organisation")
            self.close_file()

    def project(self, i: int, runner: str, runner_label: str, cc: str) -> str:
        rng = self.rng
        iri = f"project:{cc.lower()}-project-{i + 1}"
        event = rng.random() < 0.3
        label = f"{'Festival' if event else 'Project'} {rng.choice(NAME_WORDS)} {i + 1}"
        pairs: list[tuple[str, Obj]] = [
            ("a", "schema:Event" if event else "mi:Initiative"),
            ("skos:prefLabel", _lit(label)),
            ("mi:runBy", runner),
            ("mi:country", f"country:{cc}"),
        ]
        if event:
            y, m, d = rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 20)
            pairs += [
                ("schema:startDate", f'"{y}-{m:02d}-{d:02d}"^^xsd:date'),
                ("schema:endDate", f'"{y}-{m:02d}-{d + rng.randint(0, 5):02d}"^^xsd:date'),
                ("mi:attendance", str(rng.randint(5, 2000))),
            ]
        else:
            start, end = self.years()
            pairs.append(("dcterms:temporal", self.period(start, end)))
        pairs.append(("prov:wasDerivedFrom", self.quote(f"{runner_label} runs {label}.")))
        self.emit(iri, pairs, "Project")
        return iri

    def partnership(self, i: int, a: str, a_label: str, j: int, cj: int, nature: str) -> None:
        b = f"actor:{self.countries[cj].lower()}-org-{j + 1}"
        iri = f"rel:partnership-{a.removeprefix('actor:')}--{b.removeprefix('actor:')}"
        start, end = self.years()
        self.emit(
            iri,
            [
                ("a", "mi:Partnership"),
                ("mi:party", f"{a}, {b}"),
                ("mi:relationNature", f"relation-nature:{nature}"),
                ("dcterms:temporal", self.period(start, end)),
                (
                    "prov:wasDerivedFrom",
                    self.quote(f"{a_label} works in partnership with {b} since {start}."),
                ),
            ],
            "Partnership",
        )
        assert self.file is not None
        self.file.triples += 1  # "mi:party a, b" is two triples

    def directed(self, what: str, cls: str, i: int, a: str, a_label: str, j: int, cj: int) -> None:
        b = f"actor:{self.countries[cj].lower()}-org-{j + 1}"
        iri = f"rel:{what}-{a.removeprefix('actor:')}--{b.removeprefix('actor:')}"
        verb = "refers newcomers to" if what == "referral" else "places interns with"
        self.emit(
            iri,
            [
                ("a", cls),
                ("mi:fromParty", a),
                ("mi:toParty", b),
                ("prov:wasDerivedFrom", self.quote(f"{a_label} {verb} {b}.")),
            ],
            "Referral" if what == "referral" else "PlacementHosting",
        )

    def assessment(self, target: str, target_label: str, level: str) -> None:
        rng = self.rng
        pos = self.positions[min(len(self.positions) - 1, int(rng.paretovariate(1.2)) - 1)]
        negated = rng.random() < 0.1
        iri = f"assessment:{target.split(':', 1)[1]}--{pos}{'-neg' if negated else ''}"
        if iri in self.assessed:
            return
        self.assessed.add(iri)
        neg_obj = "true" if negated else "false"
        err = None
        if self.inject():
            neg_obj = '"no"'
            err = (
                "datatype",
                "PositionAssessmentShape",
                'mi:negated "no" (a string)',
                "mi:negated",
            )
        verb = "are not" if negated else "are"
        line = self.emit(
            iri,
            [
                ("a", "mi:PositionAssessment"),
                ("oa:motivatedBy", "oa:classifying"),
                ("oa:hasTarget", target),
                ("oa:hasBody", f"position:{pos}"),
                ("mi:assessmentLevel", f"level:{level}"),
                ("mi:negated", neg_obj),
                ("prov:wasAttributedTo", self.consortium),
                (
                    "prov:wasDerivedFrom",
                    self.quote(f"{target_label} {verb} {pos.replace('-', ' ')}s."),
                ),
            ],
            "PositionAssessment",
        )
        if err:
            self.record(err[0], line, iri, err[1], err[2], err[3])

    def typology(self) -> None:
        """Country and kind groups with their assessments, and the CSO count per country."""
        self.open("99-typology.ttl", "Actor groups, their position assessments, aggregate figures")
        rng = self.rng
        for cc in self.countries:
            lc = cc.lower()
            name = self.country_names.get(cc, cc)
            g = f"group:{lc}-csos"
            label = f"Civil-society organisations in {name}"
            self.emit(
                g,
                [
                    ("a", "mi:ActorGroup"),
                    ("skos:prefLabel", _lit(label)),
                    ("mi:country", f"country:{cc}"),
                    ("prov:wasDerivedFrom", self.quote(f"{label} are described as one group.")),
                ],
                "ActorGroup",
            )
            for _ in range(rng.randint(1, 3)):
                self.assessment(g, label, "assessed-country")
            for kind in ("migrant-association", "social-enterprise"):
                if not self.kind_count.get((cc, kind)):
                    continue
                gk = f"group:{lc}-{kind}s"
                kl = f"{KIND_WORDS[kind].split(' ', 1)[1].capitalize()}s of {name}"
                self.emit(
                    gk,
                    [
                        ("a", "mi:ActorGroup"),
                        ("skos:prefLabel", _lit(kl)),
                        ("mi:country", f"country:{cc}"),
                        ("mi:groupKind", f"kind:{kind}"),
                        ("prov:wasDerivedFrom", self.quote(f"{kl} are described as one group.")),
                    ],
                    "ActorGroup",
                )
                self.assessment(gk, kl, "assessed-kind")
            n = self.cso_count[cc]
            self.emit(
                f"figure:{lc}-csos-identified",
                [
                    ("a", "mi:AggregateFigure"),
                    ("mi:population", g),
                    ("mi:country", f"country:{cc}"),
                    ("mi:measure", "measure:csos-identified"),
                    ("mi:category", '"all"'),
                    ("schema:value", str(n)),
                    ("mi:unit", "unit:count"),
                    ("prov:wasDerivedFrom", self.quote(f"In {name}, {n} CSOs were identified.")),
                ],
                "AggregateFigure",
            )
        self.close_file()


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    ns = ALL_PREFIXES.get(prefix)
    return ns + local if ns else curie


def generate(
    orgs: int,
    seed: int,
    out: Path,
    *,
    errors: float = 0.0,
    chunk: int = 500,
    load_errors: bool = True,
    settings: Settings | None = None,
) -> GenerateStats:
    """Write a synthetic graph of about ``TRIPLES_PER_ORG * orgs`` triples into ``out``.

    Parameters
    ----------
    orgs : int
        Number of ordinary organisations (funders, umbrellas and municipalities come on top,
        in proportion). ``orgs_for_triples(t)`` gives the ``orgs`` for ``t`` triples.
    seed : int
        Random seed: the same arguments always give byte-identical files.
    out : Path
        Folder to write into (created; ``*.ttl``, ``synthetic-s<seed>.txt`` and
        ``manifest.json`` in it are overwritten).
    errors : float
        Rate of injected errors per node (0 for a conforming graph); see the module docstring.
    chunk : int
        Organisations per ``orgs-NNNN.ttl`` file.
    load_errors : bool
        With ``errors``, also break one file's syntax and put an ill-typed literal in another
        (``False`` keeps every file loadable, to compare validators on the other errors).
    settings : Settings, optional
        Where the code lists are (``ontology/vocab``).

    Returns
    -------
    GenerateStats
        Files, triples, node counts, injected errors; also written to ``out/manifest.json``.

    Raises
    ------
    KGError
        Bad arguments, or the code lists lack a concept the generator uses.
    """
    if orgs < 1:
        raise InvalidParameterError("orgs", f"orgs must be at least 1, not {orgs}")
    if not 0 <= errors <= 0.5:
        raise InvalidParameterError(
            "errors", f"errors must be a rate between 0 and 0.5, not {errors}"
        )
    if chunk < 1:
        raise InvalidParameterError("chunk", f"chunk must be at least 1, not {chunk}")
    s = settings or get_settings()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.ttl"):
        old.unlink()
    gen = _Gen(orgs, seed, out, errors, s, load_errors)
    gen.chunk = chunk
    stats = gen.run()
    (out / "manifest.json").write_text(
        json.dumps(stats.manifest(), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return stats


def generate_360giving(grants: int, seed: int, path: Path) -> int:
    """Write a 360Giving JSON package of ``grants`` fictitious grants (for ``kg import`` at scale).

    The grants follow the 360Giving schema: funders (one per 2,000 grants, at least 3) with
    ``GB-CHC`` identifiers, recipients (one per 4 grants) half with ``GB-CHC`` or ``LU-RCS``
    identifiers and half with ``360G-`` ones, programmes per funder, amounts in GBP or EUR with
    some disbursed, award and planned dates, a beneficiary country, and a regrant type on one
    grant in 50. Written as a stream (no grant list in memory); the same arguments give the
    same bytes.

    Parameters
    ----------
    grants : int
        Number of grants (at least 1).
    seed : int
        Random seed.
    path : Path
        The JSON file to write (overwritten).

    Returns
    -------
    int
        Bytes written.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "g.json"
    >>> n = generate_360giving(3, 1, p)
    >>> len(json.loads(p.read_text())["grants"])
    3
    """
    if grants < 1:
        raise InvalidParameterError("grants", f"grants must be at least 1, not {grants}")
    rng = random.Random(seed)
    n_funders = max(3, grants // 2000)
    n_recipients = max(3, grants // 4)
    countries = ["GB", "LU", "DE", "FR", "IT", "GR", "BE", "NL"]
    words = [
        "Refugee",
        "Welcome",
        "Migrant",
        "Community",
        "Bridges",
        "Open",
        "Harbour",
        "Newcomers",
        "Integration",
        "Solidarity",
        "Roots",
        "Horizon",
        "Kitchen",
        "Language",
    ]
    ends = ["Trust", "Network", "Association", "Collective", "Forum", "Project", "Centre"]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(
            '{"title": "Synthetic 360Giving grants (fictitious)", "license": '
            '"https://creativecommons.org/publicdomain/zero/1.0/", "grants": [\n'
        )
        for i in range(grants):
            fu = rng.randrange(n_funders)
            rc = min(
                n_recipients - 1, int(rng.paretovariate(1.2)) - 1 + rng.randrange(n_recipients) // 2
            )
            country = countries[rc % len(countries)]
            rid = (
                f"GB-CHC-{2000000 + rc}"
                if rc % 4 == 0
                else f"LU-RCS-F{10000 + rc}"
                if rc % 4 == 1
                else f"360G-synth-ORG-{rc}"
            )
            year = 2015 + rng.randrange(10)
            month, day = rng.randrange(1, 13), rng.randrange(1, 29)
            amount = rng.randrange(500, 500000)
            grant: dict[str, Any] = {
                "id": f"360G-synth-{i}",
                "title": f"{words[i % len(words)]} grant {i}",
                "description": "Synthetic grant for scale tests.",
                "currency": "GBP" if country == "GB" else "EUR",
                "amountAwarded": amount,
                "awardDate": f"{year}-{month:02d}-{day:02d}",
                "plannedDates": [
                    {
                        "startDate": f"{year}-{month:02d}-{day:02d}",
                        "endDate": f"{year + 1}-{month:02d}-{day:02d}",
                    }
                ],
                "fundingOrganization": [
                    {"id": f"GB-CHC-{1000000 + fu}", "name": f"{words[fu % len(words)]} Fund {fu}"}
                ],
                "recipientOrganization": [
                    {
                        "id": rid,
                        "name": f"{words[rc % len(words)]} {ends[rc % len(ends)]} {rc}",
                        "addressCountry": country,
                    }
                ],
                "grantProgramme": [{"code": f"P{fu}-{i % 3}", "title": f"Programme {fu}-{i % 3}"}],
                "beneficiaryLocation": [{"countryCode": country}],
            }
            if i % 3 == 0:
                grant["amountDisbursed"] = amount // 2
            if i % 50 == 0:
                grant["regrantType"] = "FRG010"
            f.write(("," if i else "") + json.dumps(grant, separators=(",", ":")) + "\n")
        f.write("]}\n")
    tmp.replace(path)
    return path.stat().st_size
