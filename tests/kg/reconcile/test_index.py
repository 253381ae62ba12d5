"""The matching core: identifiers decide, names propose, countries keep namesakes apart.

Expected values: scores come from rapidfuzz's own ``fuzz.token_sort_ratio`` on the names after
:func:`kg.entities.resolve.normalise` (the independent reference for the score); the verdicts
follow from the documented thresholds by hand; the shipped graph's names come from the documents
(data/ttl/lu/ewsi-citizens-initiatives.ttl: ASTI, "Association de Soutien aux Travailleurs
Immigrés", and Caritas in Luxembourg; data/ttl/sirius: the Finnish Red Cross, the British Red
Cross, and "Red Cross" in Denmark, Switzerland and Luxembourg).
"""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
from rapidfuzz import fuzz

from kg.entities.resolve import normalise
from kg.reconcile import (
    AMBIGUITY_MARGIN,
    PROPOSE_THRESHOLD,
    OrgIndex,
    OrgRecord,
    name_form,
    normalise_identifier,
)
from kg.reconcile.index import KEY_LENGTH
from kg.sparql.backend import LocalBackend
from tests.support import shipped_backend

ACTOR = "https://w3id.org/integration-kg/id/org/"


def reference_score(a: str, b: str) -> float:
    """The documented score from rapidfuzz's own scorers (no legal forms in these names).

    ``token_sort_ratio`` of the whole names, capped by ``ratio`` of the words each lacks.
    """
    whole = fuzz.token_sort_ratio(normalise(a), normalise(b))
    wa, wb = normalise(a).split(), normalise(b).split()
    only_a, only_b = [w for w in wa if w not in wb], [w for w in wb if w not in wa]
    if only_a and only_b:
        return min(whole, fuzz.token_sort_ratio(" ".join(only_a), " ".join(only_b)))
    return whole


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("GB-CHC-1164883", "GB-CHC-1164883"),
        (" gb-chc - 1164883 ", "GB-CHC-1164883"),
        ("lu-rcs-f1234", "LU-RCS-F1234"),
        ("XI-IATI-EC_INTPA", "XI-IATI-EC_INTPA"),
        ("Q42", "XI-WIKIDATA-Q42"),
        ("https://www.wikidata.org/wiki/Q42", "XI-WIKIDATA-Q42"),
        ("http://www.wikidata.org/entity/q42", "XI-WIKIDATA-Q42"),
        ("xi-wikidata-Q42", "XI-WIKIDATA-Q42"),
        ("1164883", None),  # no scheme: numbers of different registers collide
        ("Q0", None),
        ("", None),
    ],
)
def test_identifier_forms(written: str, expected: str | None) -> None:
    assert normalise_identifier(written) == expected


def test_name_form_drops_legal_form_and_article_and_sorts_words() -> None:
    assert name_form("ASTI a.s.b.l.") == "asti"
    assert name_form("The Refugee Council") == "council refugee"
    assert name_form("Flüchtlingshilfe e.V.") == "fluchtlingshilfe"
    assert name_form("Ltd") == "ltd"  # a name that is only a legal form keeps it


@pytest.fixture
def small() -> OrgIndex:
    return OrgIndex.from_records(
        [
            OrgRecord("ex:brc", ("British Red Cross",), "GB", "cso", ("GB-CHC-220949",)),
            OrgRecord("ex:frc", ("Finnish Red Cross", "Suomen Punainen Risti"), "FI", "cso"),
            OrgRecord("ex:rc-ch", ("Red Cross",), "CH", "cso", ("Q1", "XI-WIKIDATA-Q2")),
            OrgRecord("ex:welcome-a", ("Welcome Bridges Association",), "DE", "cso"),
            OrgRecord("ex:welcome-b", ("Welcome Bridge Association",), "DE", "cso"),
            OrgRecord("ex:nowhere", ("Harbour Kitchen Collective",), None, "cso"),
            OrgRecord("ex:dup-1", ("Open Doors",), "BE", "cso", ("BE-BCE_KBO-0123",)),
            OrgRecord("ex:dup-2", ("Open Doors Brussels",), "BE", "cso", ("be-bce_kbo-0123",)),
        ]
    )


def test_identifier_match_is_same_whatever_the_name(small: OrgIndex) -> None:
    m = small.match("Something else entirely", country="FI", identifiers=["gb-chc-220949"])
    assert m.verdict == "same"
    assert [c.iri for c in m.candidates] == ["ex:brc"]
    assert m.candidates[0].score == 100
    assert "identifier GB-CHC-220949" in m.candidates[0].reasons
    assert "country differs (GB, given FI)" in m.candidates[0].reasons


def test_wikidata_forms_match(small: OrgIndex) -> None:
    for typed in ("Q2", "http://www.wikidata.org/entity/Q2", "wd:Q1"):
        m = small.match("x", identifiers=[typed])
        assert (m.verdict, m.candidates[0].iri) == ("same", "ex:rc-ch")


def test_identifier_of_two_records_is_ambiguous(small: OrgIndex) -> None:
    m = small.match("Open Doors", country="BE", identifiers=["BE-BCE_KBO-0123"])
    assert m.verdict == "ambiguous"
    assert {c.iri for c in m.candidates} == {"ex:dup-1", "ex:dup-2"}


def test_unknown_identifier_falls_back_to_names(small: OrgIndex) -> None:
    m = small.match("British Red Cross", country="GB", identifiers=["GB-CHC-999"])
    assert (m.verdict, m.candidates[0].iri) == ("proposed", "ex:brc")


def test_exact_name_is_proposed_never_same(small: OrgIndex) -> None:
    m = small.match("british red cross", country="gb")
    assert m.verdict == "proposed"
    assert m.candidates[0].score == 100
    assert "country GB agrees" in m.candidates[0].reasons


def test_same_name_in_another_country_is_never_proposed(small: OrgIndex) -> None:
    # The Red Cross of Finland is not the British Red Cross: GB names are not even candidates.
    m = small.match("British Red Cross", country="FI")
    assert m.verdict == "new"
    assert "ex:brc" not in [c.iri for c in m.candidates]
    m = small.match("Red Cross", country="GB")
    assert "ex:rc-ch" not in [c.iri for c in m.candidates]


def test_without_country_namesakes_are_ambiguous(small: OrgIndex) -> None:
    index = OrgIndex.from_records(
        [OrgRecord("ex:a", ("Red Cross",), "CH"), OrgRecord("ex:b", ("Red Cross",), "LU")]
    )
    m = index.match("Red Cross")
    assert m.verdict == "ambiguous"
    assert {c.iri for c in m.candidates} == {"ex:a", "ex:b"}


def test_typo_score_is_rapidfuzz_token_sort_ratio(small: OrgIndex) -> None:
    typed = "Finish Red Cros"
    m = small.match(typed, country="FI")
    expected = reference_score(typed, "Finnish Red Cross")
    assert m.candidates[0].iri == "ex:frc"
    assert m.candidates[0].score == pytest.approx(expected, abs=0.05)
    # By hand: whole names "cros finish red" / "cross finnish red", 2·15/(15+17) = 93.75;
    # their own words "cros finish" / "cross finnish", 2·11/(11+13) = 91.67, the lower.
    assert expected == pytest.approx(91.67, abs=0.01)
    assert m.verdict == "proposed"


def test_a_shared_phrase_does_not_make_names_close() -> None:
    index = OrgIndex.from_records([OrgRecord("ex:m", ("Milise Foundation for Newcomers",), "DE")])
    m = index.match("Lavise Foundation for Newcomers", country="DE")
    # By hand: whole names 2·28/62 = 90.3 (proposable); own words "lavise" / "milise",
    # 2·4/12 = 66.7: listed, not proposed.
    assert (
        fuzz.token_sort_ratio("Lavise Foundation for Newcomers", "Milise Foundation for Newcomers")
        > 90
    )
    assert m.candidates[0].score == pytest.approx(66.7, abs=0.05)
    assert m.verdict == "new"


def test_word_order_does_not_count(small: OrgIndex) -> None:
    m = small.match("Red Cross, British", country="GB")
    assert (m.verdict, m.candidates[0].score) == ("proposed", 100)


def test_two_close_candidates_are_ambiguous(small: OrgIndex) -> None:
    m = small.match("Welcome Bridges Association", country="DE")
    assert m.verdict == "ambiguous"
    scores = [c.score for c in m.candidates[:2]]
    assert scores[0] == 100
    # By rapidfuzz: "association bridge welcome" vs "association bridges welcome".
    assert scores[1] == pytest.approx(
        reference_score("Welcome Bridges Association", "Welcome Bridge Association"), abs=0.05
    )
    # By hand: own words "bridges" / "bridge", 2·6/13 = 92.3, within the margin of 100.
    assert scores[1] == pytest.approx(92.3, abs=0.05)
    assert scores[0] - scores[1] <= AMBIGUITY_MARGIN


def test_below_threshold_is_new_with_candidates_listed() -> None:
    index = OrgIndex.from_records([OrgRecord("ex:c", ("Caritas Europa",), "LU")])
    m = index.match("Caritas", country="LU")
    # 2·7/(7+14)·100 = 66.7 by hand: listed, not proposed.
    assert m.candidates[0].score == pytest.approx(
        reference_score("Caritas", "Caritas Europa"), abs=0.05
    )
    assert m.candidates[0].score < PROPOSE_THRESHOLD
    assert m.verdict == "new"


def test_candidate_without_country_needs_a_person(small: OrgIndex) -> None:
    m = small.match("Harbour Kitchen Collective", country="SE")
    assert m.verdict == "ambiguous"
    assert m.candidates[0].iri == "ex:nowhere"
    assert "country not stated for the candidate" in m.candidates[0].reasons


def test_kind_is_a_reason_not_a_score(small: OrgIndex) -> None:
    agree = small.match("Finnish Red Cross", country="FI", kind="kind:cso").candidates[0]
    differ = small.match("Finnish Red Cross", country="FI", kind="foundation").candidates[0]
    assert "kind cso agrees" in agree.reasons
    assert "kind differs (cso, given foundation)" in differ.reasons
    assert agree.score == differ.score == 100


def test_alternative_label_matches_and_limit_applies(small: OrgIndex) -> None:
    m = small.match("Suomen Punainen Risti", country="FI", limit=1)
    assert m.candidates[0].iri == "ex:frc"
    assert len(m.candidates) == 1
    assert small.match("Red Cross", limit=0).candidates == ()


def test_add_extends_a_known_iri(small: OrgIndex) -> None:
    small.add(OrgRecord("ex:frc", ("SPR",), "FI", None, ("FI-PRO-123",)))
    assert small.match("SPR", country="FI").candidates[0].iri == "ex:frc"
    assert small.match("", identifiers=["fi-pro-123"]).verdict == "same"
    assert len(small) == 8


def test_blocking_finds_what_a_full_scan_finds() -> None:
    """Against an unblocked scan of every name (the independent reference), on random names.

    The typos are made after the first KEY_LENGTH letters of a word, where the blocking
    promises to find them.
    """
    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "re", "su", "ta", "ne", "vo", "pi", "da", "ru", "se"]
    words = ["".join(rng.choice(syllables) for _ in range(4)) for _ in range(300)]
    common = ["Association", "Refugee", "Network", "Centre"]
    records = [
        OrgRecord(
            f"ex:{i}",
            (f"{rng.choice(words)} {rng.choice(words)} {rng.choice(common)}",),
            rng.choice(["DE", "FR"]),
        )
        for i in range(3000)
    ]
    index = OrgIndex.from_records(records)
    for record in rng.sample(records, 60):
        words_of = record.names[0].split()
        w = rng.randrange(len(words_of))
        word = words_of[w]
        cut = rng.randrange(KEY_LENGTH, len(word))
        words_of[w] = word[:cut] + word[cut + 1 :]  # one letter dropped late in a word
        typed = " ".join(words_of)
        expected = {
            r.iri
            for r in records
            if r.country == record.country
            and reference_score(typed, r.names[0]) >= PROPOSE_THRESHOLD
        }
        found = {
            c.iri
            for c in index.match(typed, country=record.country, limit=100).candidates
            if c.score >= PROPOSE_THRESHOLD
        }
        assert record.iri in expected
        assert found == expected, typed


# -- the shipped graph -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> OrgIndex:
    return OrgIndex.from_backend(shipped_backend())


@pytest.mark.parametrize(
    "typed", ["asti", "ASTI", "Association de soutien aux travailleurs immigres"]
)
def test_shipped_asti(shipped: OrgIndex, typed: str) -> None:
    m = shipped.match(typed, country="LU")
    assert (m.verdict, m.candidates[0].iri) == ("proposed", ACTOR + "lu-asti")


def test_shipped_caritas_luxembourg_reads_the_country_in_the_name(shipped: OrgIndex) -> None:
    m = shipped.match("Caritas Luxembourg")
    assert (m.verdict, m.candidates[0].iri) == ("proposed", ACTOR + "lu-caritas")
    assert "country LU named in the incoming name" in m.candidates[0].reasons
    # "Caritas" alone names organisations of several countries.
    assert shipped.match("Caritas").verdict == "ambiguous"


def test_shipped_red_cross_of_finland_is_not_the_british(shipped: OrgIndex) -> None:
    m = shipped.match("British Red Cross", country="FI")
    assert ACTOR + "gb-british-red-cross" not in [c.iri for c in m.candidates]
    assert m.verdict == "new"
    m = shipped.match("Finnish Red Cross", country="FI")
    assert (m.verdict, m.candidates[0].iri) == ("proposed", ACTOR + "fi-finnish-red-cross")


def test_shipped_anonymous_organisations_are_left_out(shipped: OrgIndex) -> None:
    # data/ttl/sirius/dk.ttl: "18_CSO_DK" is an interview code (mi:AnonymousOrganisation).
    assert shipped.match("18_CSO_DK", country="DK").candidates == ()


TOY = """
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix adms: <http://www.w3.org/ns/adms#> .
@prefix mi: <https://w3id.org/integration-kg/ontology#> .
@prefix kind: <https://w3id.org/integration-kg/vocab/kind/> .
@prefix country: <https://w3id.org/integration-kg/vocab/country/> .
<urn:ex:a> org:classification kind:cso ; skos:prefLabel "Alpha Aid" ; mi:country country:LU ;
    org:identifier "LU-RCS-F1234" .
<urn:ex:b> org:classification kind:foundation ; skos:prefLabel "Beta Fund" ;
    adms:identifier [ skos:notation "GB-CHC-1164883" ] .
<urn:ex:c> org:classification kind:cso ; skos:prefLabel "Gamma" ; skos:altLabel "GAM" ;
    owl:sameAs <http://www.wikidata.org/entity/Q12345> , <https://example.org/not-wikidata> .
<urn:ex:d> a mi:AnonymousOrganisation ; org:classification kind:cso ; skos:prefLabel "3_CSO_LU" .
country:LU skos:notation "LU" ; skos:prefLabel "Luxembourg"@en .
"""


def test_from_backend_reads_every_identifier_form() -> None:
    store = ox.Store()
    store.load(TOY.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:g"))
    index = OrgIndex.from_backend(LocalBackend(store))
    assert len(index) == 3  # the anonymous organisation is left out
    cases = {"lu-rcs-f1234": "urn:ex:a", "GB-CHC-1164883": "urn:ex:b", "Q12345": "urn:ex:c"}
    for typed, iri in cases.items():
        m = index.match("unrelated", identifiers=[typed])
        assert (m.verdict, m.candidates[0].iri) == ("same", iri), typed
    m = index.match("gam", kind="cso")
    assert (m.verdict, m.candidates[0].iri) == ("proposed", "urn:ex:c")
    assert "kind cso agrees" in m.candidates[0].reasons
    assert index.match("Alpha Aid Luxembourg").candidates[0].iri == "urn:ex:a"
