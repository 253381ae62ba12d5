"""Match incoming organisations against the graph's: identifiers first, then names and country.

An :class:`OrgIndex` holds the existing organisations (:class:`OrgRecord`); :meth:`OrgIndex.match`
answers one incoming record with a :class:`Match`: a verdict and the scored
:class:`Candidate` s with the reasons for each score.

Verdicts
--------
``same``
    An identifier of the incoming record (org-id such as ``GB-CHC-1164883``, ``LU-RCS-F…``,
    ``XI-IATI-…``, a Wikidata QID; :func:`~kg.reconcile.identifiers.normalise_identifier`) is an
    identifier of exactly one existing organisation. Only an identifier decides this: never a
    name, however close.
``proposed``
    One candidate scores at least :data:`PROPOSE_THRESHOLD`, its country agrees with the
    incoming one, and no other candidate comes within :data:`AMBIGUITY_MARGIN` of it. A person
    confirms it (the review file of ``kg import``, OpenRefine's "match" flag): it is never merged
    silently.
``ambiguous``
    A person must choose: two or more candidates within :data:`AMBIGUITY_MARGIN` of each other
    at or above :data:`PROPOSE_THRESHOLD`, a candidate above it whose country the graph does not
    state, or an identifier held by several existing organisations.
``new``
    No candidate reaches :data:`PROPOSE_THRESHOLD`; the closest ones are still listed.

Scores
------
A name's score is rapidfuzz's ``token_sort_ratio`` (0–100: the normalised Indel similarity of
the two names with their words sorted, so word order does not count) between the incoming name
and each label, acronym and alternative label of a candidate, after both went through
:func:`kg.entities.resolve.normalise` (case, accents, punctuation: the rule by which the CLI and
the API resolve typed names) and lost a trailing legal form (``a.s.b.l.``, ``e.V.``, ``Ltd``) and
a leading "the". When each name has words the other lacks, the score is at most the
``ratio`` of those words alone: a long shared phrase does not make two names close
("Lavise Foundation for Newcomers" and "Milise Foundation for Newcomers" score 90 as wholes,
67 by their own words). A candidate's score is its best name's (:func:`name_score`).

Country
-------
Names are compared only within the incoming record's country (and with organisations whose
country the graph does not state, which can never be proposed): the Finnish Red Cross is never
a candidate for the British Red Cross. A name that ends with a country's name or code
(``Caritas Luxembourg``) is also tried without it, in that country. An incoming record without a
country is compared with every country, and its best candidate is proposed only when no other
candidate, in any country, comes close: "Red Cross" alone is ambiguous.

Kind
----
The kind (``cso``, ``foundation``...) is a reason shown to the reviewer ("kind agrees",
"kind differs"), not part of the score: the graph's kinds are a reading of a typology, not a
register fact, and an organisation may hold several.

Blocking (scale)
----------------
Each name is filed under its country and each of its *name keys*: the first
:data:`KEY_LENGTH` letters of each word of three letters or more (one-word names and acronyms:
the word itself). An incoming name is compared only with the names filed under its country and
its :data:`BLOCK_KEYS` rarest keys of at most :data:`MAX_BLOCK` names (the rarest one alone when
every key is commoner); a name with exactly its form is in each of them. A spelling mistake in the
first letters of every word of a name therefore goes unnoticed; one in any other place does not.
This keeps 100,000 incoming organisations against 1,000,000 existing within a minute
(``python -m benchmarks.run --only reconcile``).

Written by hand: the blocking and the verdict rules are this project's policy; the string
similarity is rapidfuzz's and the normalisation :mod:`kg.entities.resolve`'s. splink (Fellegi-
Sunter models) would need training data with known matches, which a user's spreadsheet lacks.

Examples
--------
>>> index = OrgIndex.from_records([
...     OrgRecord("ex:asti", ("Association de Soutien aux Travailleurs Immigrés", "ASTI"),
...               "LU", "cso", ("LU-RCS-F1234",)),
...     OrgRecord("ex:brc", ("British Red Cross",), "GB", "cso", ("GB-CHC-220949",)),
... ])
>>> index.match("asti", country="LU").verdict
'proposed'
>>> index.match("Anything", identifiers=("lu-rcs-f1234",)).verdict
'same'
>>> index.match("British Red Cross", country="FI").verdict
'new'
"""

from __future__ import annotations

import gc
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz, process

from kg.entities.resolve import country_codes, name_index, normalise
from kg.namespaces import PREFIXES
from kg.reconcile.identifiers import normalise_identifiers
from kg.sparql.named import rows_as_dicts, run_named

if TYPE_CHECKING:  # pragma: no cover
    from kg.sparql.backend import Backend

__all__ = [
    "AMBIGUITY_MARGIN",
    "BLOCK_KEYS",
    "CANDIDATE_CUTOFF",
    "KEY_LENGTH",
    "MAX_BLOCK",
    "PROPOSE_THRESHOLD",
    "Candidate",
    "Match",
    "OrgIndex",
    "OrgRecord",
    "Verdict",
    "name_form",
    "name_score",
]

#: A candidate is proposed from a score of 90: one wrong, missing or extra letter in a name of
#: ten letters (token_sort_ratio 2·9/19 ≈ 95 for one missing letter, 90 for one changed letter
#: in ten), two in a name of twenty. Below that, names that differ by a word ("Caritas" and
#: "Caritas Europa": 67) are too often different organisations to propose.
PROPOSE_THRESHOLD = 90.0
#: Two candidates within 10 points of each other are too close for a name to choose between:
#: one letter in a word of six or seven costs about 8 ("Bridges" and "Bridge": 92.3), so a name
#: that matches one organisation exactly and another but for a letter is left to a person.
AMBIGUITY_MARGIN = 10.0
#: Candidates below 60 are not listed: by then half the letters differ ("Red Cross" and
#: "Finnish Red Cross" score 69 and are still shown, unproposed).
CANDIDATE_CUTOFF = 60.0
#: Letters of a word that form its name key: enough to tell words apart, few enough that a
#: mistake at a word's end still lands in the same block.
KEY_LENGTH = 4
#: A block of more names than this is a common word ("association", "refugee"); it is searched
#: only when the name has no rarer key.
MAX_BLOCK = 1_000
#: How many of a name's rarest keys are searched (a mistake early in one word is caught by
#: another's key).
BLOCK_KEYS = 2

Verdict = Literal["same", "proposed", "ambiguous", "new"]

# Legal forms dropped from the end of a name (normalised, as words), by their last word.
_LEGAL_FORMS: dict[str, list[tuple[str, ...]]] = defaultdict(list)
for _form in (
    "a s b l", "asbl", "a i s b l", "aisbl", "e v", "ev", "g gmbh", "ggmbh", "gmbh", "ltd",
    "limited", "plc", "cic", "cio", "inc", "vzw", "ivzw", "onlus", "odv", "aps", "r y", "ry",
    "s a", "sarl", "srl",
):  # fmt: skip
    _LEGAL_FORMS[_form.split()[-1]].append(tuple(_form.split()))
_ARTICLES = frozenset({"the"})


def name_form(name: str) -> str:
    """Return the form in which names are compared: normalised, legal form dropped, words sorted.

    Parameters
    ----------
    name : str
        A name as written.

    Returns
    -------
    str
        Its words (:func:`kg.entities.resolve.normalise`) without a trailing legal form or a
        leading article, sorted; ``""`` for a name without letters or digits.

    Examples
    --------
    >>> name_form("ASTI a.s.b.l.")
    'asti'
    >>> name_form("The British Red Cross")
    'british cross red'
    """
    return " ".join(sorted(_words(name)))


def name_score(a: str, b: str) -> float:
    """Return the score of two names (0–100; see the module's documentation).

    Examples
    --------
    >>> round(name_score("Finish Red Cros", "Finnish Red Cross"), 1)
    91.7
    >>> round(name_score("Lavise Foundation for Newcomers", "Milise Foundation for Newcomers"), 1)
    66.7
    """
    fa, fb = name_form(a), name_form(b)
    return _capped(fa, fb, fuzz.ratio(fa, fb))


def _capped(a: str, b: str, whole: float) -> float:
    """Cap the whole-name score of two forms by the ratio of the words they do not share."""
    if whole == 100:
        return 100.0
    wa, wb = a.split(), b.split()
    only_a = [w for w in wa if w not in wb]
    only_b = [w for w in wb if w not in wa]
    if only_a and only_b:
        return float(min(whole, fuzz.ratio(" ".join(only_a), " ".join(only_b))))
    return float(whole)


def _words(name: str) -> list[str]:
    words = normalise(name).split()
    for form in _LEGAL_FORMS.get(words[-1], ()) if words else ():
        if len(words) > len(form) and tuple(words[-len(form) :]) == form:
            words = words[: -len(form)]
            break
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return words


def _word_keys(words: list[str]) -> set[str]:
    """Return the name keys of a name's words (see the module's documentation)."""
    if len(words) == 1:
        return {words[0][:KEY_LENGTH]}
    return {w[:KEY_LENGTH] for w in words if len(w) >= 3} or {w[:KEY_LENGTH] for w in words}


def _kind(kind: str | None) -> str | None:
    """Return a kind's local name (``cso``), whether given as a slug, a CURIE or a full IRI."""
    if not kind:
        return None
    raw = kind.strip()
    for prefix in (PREFIXES["kind"], "kind:"):
        raw = raw.removeprefix(prefix)
    return raw or None


@dataclass(frozen=True, slots=True)
class OrgRecord:
    """An organisation as the matcher sees it.

    Attributes
    ----------
    iri : str
        Its IRI.
    names : tuple of str
        Its label first, then its acronyms and alternative labels.
    country : str or None
        ISO 3166-1 alpha-2 code, upper case; ``None`` where not stated.
    kind : str or None
        Its kind concept (``cso``, ``kind:foundation`` or the concept's IRI).
    identifiers : tuple of str
        Register identifiers in org-id form and Wikidata QIDs or IRIs (any case; normalised by
        the index).
    """

    iri: str
    names: tuple[str, ...]
    country: str | None = None
    kind: str | None = None
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """An existing organisation proposed for an incoming one.

    Attributes
    ----------
    iri, label, country : str
        The existing organisation (label: its first name).
    score : float
        0–100: 100 for an identifier match, else the best name's ``token_sort_ratio``.
    reasons : tuple of str
        Why: the identifier or the name that matched, and whether country and kind agree.
    """

    iri: str
    label: str
    country: str | None
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """The answer for one incoming organisation: a verdict and its candidates, best first."""

    verdict: Verdict
    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> Candidate | None:
        """The first candidate, if any."""
        return self.candidates[0] if self.candidates else None


class OrgIndex:
    """The existing organisations, filed for matching by identifier, country and name key.

    Build it with :meth:`from_backend` (the graph's organisations) or :meth:`from_records`, add
    organisations with :meth:`add`, and ask with :meth:`match`.

    Parameters
    ----------
    country_names : mapping, optional
        Normalised country names and codes → ISO code, to read ``Caritas Luxembourg`` as the
        name "Caritas" in LU (:meth:`from_backend` takes them from the country code list).
    """

    def __init__(self, country_names: Mapping[str, str] | None = None) -> None:
        self._country_names = {k: v.upper() for k, v in (country_names or {}).items() if k}
        # One entry per organisation (columns, to keep a million of them small) ...
        self._iris: list[str] = []
        self._labels: list[str] = []
        self._countries: list[str | None] = []
        self._kinds: list[str | None] = []
        self._position: dict[str, int] = {}
        # ... and one per name: its organisation and how it was written. Each block holds its
        # names' entries and, alongside, their compared forms (what rapidfuzz scans). A name's
        # exact form is in each of its blocks, so no separate exact-name table is needed.
        self._owner: list[int] = []
        self._written: list[str] = []
        self._blocks: dict[tuple[str | None, str], tuple[list[int], list[str]]] = {}
        self._by_identifier: dict[str, list[int]] = defaultdict(list)
        self._known_countries: set[str | None] = set()

    def __len__(self) -> int:
        return len(self._iris)

    @classmethod
    def from_records(
        cls, records: Iterable[OrgRecord], *, country_names: Mapping[str, str] | None = None
    ) -> OrgIndex:
        """Build an index of ``records`` (see :class:`OrgIndex` for ``country_names``)."""
        index = cls(country_names)
        # Building allocates millions of small objects and frees none: the cyclic collector
        # would rescan them all again and again (25 % of the time at 300,000 records).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            for record in records:
                index.add(record)
        finally:
            if was_enabled:
                gc.enable()
        return index

    @classmethod
    def from_backend(cls, backend: Backend) -> OrgIndex:
        """Build the index of the graph's named organisations (query ``reconcile/organisations``).

        Labels, acronyms and alternative labels are its names; ``org:identifier`` literals,
        ``adms:identifier/skos:notation`` values and ``owl:sameAs`` Wikidata IRIs its
        identifiers. Anonymous organisations are left out. Country names come from the country
        code list.
        """
        return cls.from_records(
            organisations(backend), country_names=country_codes(name_index(backend))
        )

    def add(self, record: OrgRecord) -> None:
        """Add an organisation; a known IRI gains the record's names and identifiers."""
        position = self._position.get(record.iri)
        country = record.country.strip().upper() if record.country else None
        if position is None:
            position = len(self._iris)
            self._position[record.iri] = position
            self._iris.append(record.iri)
            self._labels.append(record.names[0] if record.names else record.iri)
            self._countries.append(country)
            self._kinds.append(_kind(record.kind))
            self._known_countries.add(country)
        else:
            country = self._countries[position]
        names = record.names if len(record.names) == 1 else dict.fromkeys(record.names)
        blocks = self._blocks
        for name in names:
            words = _words(name)
            if not words:
                continue
            form = " ".join(sorted(words))
            entry = len(self._owner)
            self._owner.append(position)
            self._written.append(name)
            for key in _word_keys(words):
                block = blocks.get((country, key))
                if block is None:
                    block = blocks[(country, key)] = ([], [])
                block[0].append(entry)
                block[1].append(form)
        if record.identifiers:
            for identifier in normalise_identifiers(record.identifiers):
                owners = self._by_identifier[identifier]
                if position not in owners:
                    owners.append(position)

    def match(
        self,
        name: str,
        country: str | None = None,
        identifiers: Sequence[str] = (),
        kind: str | None = None,
        limit: int = 5,
    ) -> Match:
        """Match one incoming organisation.

        Parameters
        ----------
        name : str
            Its name as written.
        country : str, optional
            Its ISO alpha-2 code (any case).
        identifiers : sequence of str, optional
            Its org-id identifiers and Wikidata QIDs.
        kind : str, optional
            Its kind concept (shown in the reasons, not scored).
        limit : int
            At most this many candidates.

        Returns
        -------
        Match
            The verdict (see the module's documentation) and the candidates, best first.
        """
        country = country.strip().upper() or None if country else None
        kind = _kind(kind)
        by_id = self._identifier_match(identifiers, country, kind)
        if by_id is not None:
            return Match(by_id[0], by_id[1][: max(limit, 0)])
        wanted = max(limit, 2)  # the verdict needs the best two
        scored = self._name_scores(name, country, wanted)
        ranked = heapq.nsmallest(
            wanted,
            scored.items(),
            key=lambda kv: (-kv[1][0], self._labels[kv[0]], self._iris[kv[0]]),
        )
        candidates = tuple(
            self._candidate(pos, score, entry, implied, kind, named=implied != country)
            for pos, (score, entry, implied) in ranked
        )
        return Match(_verdict(candidates, country), candidates[: max(limit, 0)])

    # -- identifiers ---------------------------------------------------------------------------

    def _identifier_match(
        self, identifiers: Sequence[str], country: str | None, kind: str | None
    ) -> tuple[Verdict, tuple[Candidate, ...]] | None:
        found: dict[int, list[str]] = {}
        for identifier in normalise_identifiers(identifiers):
            for pos in self._by_identifier.get(identifier, ()):
                found.setdefault(pos, []).append(identifier)
        if not found:
            return None
        candidates = []
        for pos in sorted(found, key=lambda p: (self._labels[p], self._iris[p])):
            reasons = [f"identifier {i}" for i in found[pos]]
            reasons += self._agreement(pos, country, kind)
            candidates.append(
                Candidate(
                    self._iris[pos], self._labels[pos], self._countries[pos], 100.0, tuple(reasons)
                )
            )
        return ("same" if len(found) == 1 else "ambiguous"), tuple(candidates)

    # -- names ---------------------------------------------------------------------------------

    def _variants(self, name: str, country: str | None) -> list[tuple[str, str | None]]:
        """Return the forms to try: the whole name, and the name without a trailing country."""
        words = _words(name)
        out = [(" ".join(sorted(words)), country)]
        for cut in range(len(words) - 1, 0, -1):
            code = self._country_names.get(" ".join(words[cut:]))
            if code and (country is None or code == country):
                out.append((" ".join(sorted(words[:cut])), code))
                break
        return [(form, c) for form, c in out if form]

    def _searched(self, form: str, country: str | None) -> Iterator[tuple[list[int], list[str]]]:
        """Yield the blocks to compare ``form`` with, as (name entries, their forms)."""
        countries = [country, None] if country else list(self._known_countries)
        for c in countries:
            blocks = sorted(
                (b for b in (self._blocks.get((c, k)) for k in _word_keys(form.split())) if b),
                key=lambda b: len(b[0]),
            )
            small = [b for b in blocks if len(b[0]) <= MAX_BLOCK][:BLOCK_KEYS] or blocks[:1]
            yield from small

    def _name_scores(
        self, name: str, country: str | None, wanted: int
    ) -> dict[int, tuple[float, int, str | None]]:
        """Best score of each organisation: ``position → (score, name entry, its country)``.

        Each block yields its best ``8 × wanted`` names by whole-name score (an organisation has
        rarely more than four names, and the cap by own words lowers some), enough for the best
        ``wanted`` organisations without scoring every other name in Python.
        """
        best: dict[int, tuple[float, int, str | None]] = {}
        for form, implied in self._variants(name, country):
            for entries, forms in self._searched(form, implied):
                hits = process.extract(
                    form,
                    forms,
                    scorer=fuzz.ratio,  # on word-sorted forms: token_sort_ratio
                    processor=None,
                    score_cutoff=CANDIDATE_CUTOFF,
                    limit=8 * wanted,
                )
                for other, whole, i in hits:
                    score = _capped(form, other, whole)
                    if score < CANDIDATE_CUTOFF:
                        continue
                    entry = entries[i]
                    pos = self._owner[entry]
                    if pos not in best or score > best[pos][0]:
                        best[pos] = (score, entry, implied)
        return best

    def _candidate(
        self,
        pos: int,
        score: float,
        entry: int,
        wanted: str | None,
        kind: str | None,
        *,
        named: bool = False,
    ) -> Candidate:
        reasons = [f"name {self._written[entry]!r} scores {score:.0f}"]
        if named:  # the country came from the incoming name ("Caritas Luxembourg")
            reasons.append(f"country {wanted} named in the incoming name")
            reasons += self._agreement(pos, wanted, kind)[1:]
        else:
            reasons += self._agreement(pos, wanted, kind)
        return Candidate(
            self._iris[pos],
            self._labels[pos],
            self._countries[pos],
            round(score, 1),
            tuple(reasons),
        )

    def _agreement(self, pos: int, country: str | None, kind: str | None) -> list[str]:
        reasons = []
        theirs = self._countries[pos]
        if country is None:
            reasons.append(f"country {theirs} (none given)" if theirs else "country not stated")
        elif theirs is None:
            reasons.append("country not stated for the candidate")
        elif theirs == country:
            reasons.append(f"country {theirs} agrees")
        else:
            reasons.append(f"country differs ({theirs}, given {country})")
        their_kind = self._kinds[pos]
        if kind and their_kind:
            reasons.append(
                f"kind {kind} agrees"
                if kind == their_kind
                else f"kind differs ({their_kind}, given {kind})"
            )
        return reasons


def _verdict(candidates: Sequence[Candidate], country: str | None) -> Verdict:
    """Return the verdict by name (see the module's documentation)."""
    if not candidates or candidates[0].score < PROPOSE_THRESHOLD:
        return "new"
    best = candidates[0]
    rivals = [c for c in candidates[1:] if c.score >= best.score - AMBIGUITY_MARGIN]
    if rivals or (country is not None and best.country is None):
        return "ambiguous"
    return "proposed"


def organisations(backend: Backend) -> list[OrgRecord]:
    """Read the graph's named organisations as :class:`OrgRecord` s (``reconcile/organisations``).

    Parameters
    ----------
    backend : Backend
        Where to read them.

    Returns
    -------
    list of OrgRecord
        In IRI order; the smallest preferred label is the label, the other labels follow.
    """
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows_as_dicts(run_named("reconcile/organisations", backend=backend)):
        facts[row["org"]][row["field"]].append(str(row["value"]))
    out = []
    for iri in sorted(facts):
        f = facts[iri]
        labels = sorted(f.get("label", []))
        names = tuple(dict.fromkeys([*labels, *sorted(f.get("name", []))]))
        if not names:
            continue
        out.append(
            OrgRecord(
                iri=iri,
                names=names,
                country=min(f["country"]) if f.get("country") else None,
                kind=min(f["kind"]) if f.get("kind") else None,
                identifiers=tuple(sorted(f.get("identifier", []))),
            )
        )
    return out
