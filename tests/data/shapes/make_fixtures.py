"""Write one valid and one invalid Turtle fixture for every shape in ontology/shapes/.

Run from the repository root: ``python tests/data/shapes/make_fixtures.py``. The fixtures are
committed; this script documents how they were made and regenerates them after a shape change.
Each fixture holds a tiny "world" (one source document) plus the nodes that exercise its shape:
``valid/<Shape>.ttl`` must conform to every shape, ``invalid/<Shape>--<reason>.ttl`` must fail
on ``<Shape>`` (tests/test_shapes.py checks both).
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
PREFIXES = (HERE.parents[2] / "data" / "prefixes.txt").read_text()
WORLD = """
src:doc a mi:SourceDocument ; dcterms:title "A document" ; mi:fileName "doc.txt" .
"""
Q = (
    "prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSource src:doc ; "
    'oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "a quoted passage" ] ]'
)
ORG = f'actor:x a org:Organization ; skos:prefLabel "X" ; org:classification kind:cso ; mi:country country:LU ; {Q} .\n'
ORG2 = f'actor:y a org:Organization ; skos:prefLabel "Y" ; org:classification kind:foundation ; mi:country country:LU ; {Q} .\n'
PROG = f'fund:p a mi:FundingProgramme ; skos:prefLabel "P" ; mi:programmeType ptype:lottery ; mi:country country:LU ; {Q} .\n'
GROUP = f'group:g a mi:ActorGroup ; skos:prefLabel "G" ; mi:country country:GR ; {Q} .\n'

# shape name -> (valid body, [(reason, invalid body)])
CASES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "QuoteShape": (
        ORG,
        [
            (
                "no-source",
                'actor:x a org:Organization ; skos:prefLabel "X" ; org:classification kind:cso ; mi:country country:LU ; prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSelector [ oa:exact "a quoted passage" ] ] .',
            )
        ],
    ),
    "ProvenanceShape": (
        ORG,
        [
            (
                "no-quote",
                'actor:x a org:Organization ; skos:prefLabel "X" ; org:classification kind:cso ; mi:country country:LU .',
            )
        ],
    ),
    "SourceDocumentShape": (
        ORG,
        [("no-file-name", 'src:doc2 a mi:SourceDocument ; dcterms:title "B" .')],
    ),
    "OrganizationShape": (
        ORG,
        [
            (
                "no-kind",
                f'actor:x a org:FormalOrganization ; skos:prefLabel "X" ; mi:country country:LU ; {Q} .',
            )
        ],
    ),
    "AnonymousOrganisationShape": (
        f'actor:anon-1 a mi:AnonymousOrganisation ; skos:prefLabel "Interviewee 1_CSO_XX" ; mi:anonymisedCode "1_CSO_XX" ; org:classification kind:cso ; mi:country country:LU ; {Q} .\n',
        [
            (
                "merged",
                f'{ORG}actor:anon-1 a mi:AnonymousOrganisation ; skos:prefLabel "Interviewee" ; mi:anonymisedCode "1_CSO_XX" ; org:classification kind:cso ; mi:country country:LU ; owl:sameAs actor:x ; {Q} .'.replace(
                    "PREFIX", "PREFIX"
                ),
            )
        ],
    ),
    "FundingProgrammeShape": (
        PROG,
        [("no-label", f"fund:p a mi:FundingProgramme ; mi:programmeType ptype:lottery ; {Q} .")],
    ),
    "FundingAwardShape": (
        ORG
        + ORG2
        + f"award:a a mi:FundingAward ; schema:funder actor:y ; mi:recipient actor:x ; {Q} .\n",
        [
            (
                "no-funder-no-programme",
                ORG + f"award:a a mi:FundingAward ; mi:recipient actor:x ; {Q} .",
            )
        ],
    ),
    "FundingAward-recipientShape": (
        ORG
        + PROG
        + f"award:a a mi:FundingAward ; mi:awardedUnder fund:p ; mi:recipient actor:x ; {Q} .\n",
        [("no-recipient", PROG + f"award:a a mi:FundingAward ; mi:awardedUnder fund:p ; {Q} .")],
    ),
    "MonetaryAmountShape": (
        ORG
        + ORG2
        + f'award:a a mi:FundingAward ; schema:funder actor:y ; mi:recipient actor:x ; schema:amount [ a schema:MonetaryAmount ; schema:value 12000000 ; schema:currency "EUR" ] ; {Q} .\n',
        [
            (
                "negative",
                ORG
                + ORG2
                + f'award:a a mi:FundingAward ; schema:funder actor:y ; mi:recipient actor:x ; schema:amount [ a schema:MonetaryAmount ; schema:value -1 ; schema:currency "EUR" ] ; {Q} .',
            )
        ],
    ),
    "MembershipShape": (
        ORG
        + ORG2
        + f"membership:m a org:Membership ; org:member actor:x ; org:organization actor:y ; org:role membership-role:member ; {Q} .\n",
        [("no-body", ORG + f"membership:m a org:Membership ; org:member actor:x ; {Q} .")],
    ),
    "PartnershipShape": (
        ORG + ORG2 + f"rel:p a mi:Partnership ; mi:party actor:x, actor:y ; {Q} .\n",
        [("one-party", ORG + f"rel:p a mi:Partnership ; mi:party actor:x ; {Q} .")],
    ),
    "DirectedRelationShape": (
        ORG + ORG2 + f"rel:r a mi:Referral ; mi:fromParty actor:x ; mi:toParty actor:y ; {Q} .\n",
        [("no-target", ORG + f"rel:r a mi:Referral ; mi:fromParty actor:x ; {Q} .")],
    ),
    "ProjectShape": (
        ORG
        + f'project:e a schema:Event ; skos:prefLabel "E" ; mi:runBy actor:x ; mi:attendance 13 ; {Q} .\n',
        [
            (
                "negative-attendance",
                f'project:e a schema:Event ; skos:prefLabel "E" ; mi:attendance -3 ; {Q} .',
            )
        ],
    ),
    "PositionAssessmentShape": (
        GROUP
        + f"assessment:a a mi:PositionAssessment ; oa:hasTarget group:g ; oa:hasBody position:alternative ; mi:assessmentLevel level:assessed-kind ; mi:negated false ; prov:wasAttributedTo actor:sirius-consortium ; {Q} .\n",
        [
            (
                "bad-level",
                GROUP
                + f"assessment:a a mi:PositionAssessment ; oa:hasTarget group:g ; oa:hasBody position:alternative ; mi:assessmentLevel level:urban ; {Q} .",
            )
        ],
    ),
    "ActorGroupShape": (
        GROUP,
        [("no-country", f'group:g a mi:ActorGroup ; skos:prefLabel "G" ; {Q} .')],
    ),
    "AggregateFigureShape": (
        GROUP
        + f"figure:f a mi:AggregateFigure ; mi:population group:g ; mi:country country:GR ; mi:measure measure:csos-identified ; schema:value 62 ; mi:unit unit:count ; {Q} .\n",
        [
            (
                "no-unit",
                GROUP
                + f"figure:f a mi:AggregateFigure ; mi:measure measure:csos-identified ; schema:value 62 ; {Q} .",
            )
        ],
    ),
    "IntervalOrderShape": (
        ORG
        + ORG2
        + f'membership:m a org:Membership ; org:member actor:x ; org:organization actor:y ; org:memberDuring [ a time:Interval ; time:hasBeginning [ time:inXSDgYear "2016"^^xsd:gYear ] ; time:hasEnd [ time:inXSDDate "2016-05-01"^^xsd:date ] ] ; {Q} .\n',
        [
            (
                "end-before-start",
                ORG
                + ORG2
                + f'membership:m a org:Membership ; org:member actor:x ; org:organization actor:y ; org:memberDuring [ a time:Interval ; time:hasBeginning [ time:inXSDgYear "2018"^^xsd:gYear ] ; time:hasEnd [ time:inXSDgYear "2016"^^xsd:gYear ] ] ; {Q} .',
            )
        ],
    ),
    "DateOrderShape": (
        f'project:e a schema:Event ; skos:prefLabel "E" ; schema:startDate "2022-02-16"^^xsd:date ; schema:endDate "2022-02-20"^^xsd:date ; {Q} .\n',
        [
            (
                "end-before-start",
                f'project:e a schema:Event ; skos:prefLabel "E" ; schema:startDate "2022-02-20"^^xsd:date ; schema:endDate "2022-02-16"^^xsd:date ; {Q} .',
            )
        ],
    ),
    # imports (kg import)
    "CandidateMatchShape": (
        ORG
        + ORG2.replace(
            "actor:y a",
            'actor:y mi:candidateMatch [ a mi:CandidateMatch ; mi:candidate actor:x ; mi:matchScore 0.93 ; mi:matchVerdict "proposed" ] ; a',
        ),
        [
            (
                "score-above-one",
                ORG
                + ORG2.replace(
                    "actor:y a",
                    'actor:y mi:candidateMatch [ a mi:CandidateMatch ; mi:candidate actor:x ; mi:matchScore 93.0 ; mi:matchVerdict "proposed" ] ; a',
                ),
            )
        ],
    ),
    "ImportedFileShape": (
        ORG
        + 'src:imp a mi:ImportedFile, mi:SourceDocument ; dcterms:title "grants.json" ; mi:fileName "grants.json" ; mi:importFormat "360giving" ; mi:sha256 "'
        + "0" * 64
        + '" .\n',
        [
            (
                "no-digest",
                ORG
                + 'src:imp a mi:ImportedFile, mi:SourceDocument ; dcterms:title "grants.json" ; mi:fileName "grants.json" ; mi:importFormat "360giving" .',
            )
        ],
    ),
    # recommended (warnings)
    "Organization-countryRecommendedShape": (
        ORG,
        [
            (
                "no-country",
                f'actor:x a org:Organization ; skos:prefLabel "X" ; org:classification kind:cso ; {Q} .',
            )
        ],
    ),
    "Quote-lengthRecommendedShape": (
        ORG,
        [("too-long", ORG.replace("a quoted passage", "a very long quoted passage " * 20))],
    ),
    "FundingProgramme-typeRecommendedShape": (
        PROG,
        [("no-type", f'fund:p a mi:FundingProgramme ; skos:prefLabel "P" ; {Q} .')],
    ),
    "PositionAssessment-assessorRecommendedShape": (
        GROUP
        + f"assessment:a a mi:PositionAssessment ; oa:hasTarget group:g ; oa:hasBody position:alternative ; mi:assessmentLevel level:assessed-kind ; prov:wasAttributedTo actor:sirius-consortium ; {Q} .\n",
        [
            (
                "no-assessor",
                GROUP
                + f"assessment:a a mi:PositionAssessment ; oa:hasTarget group:g ; oa:hasBody position:alternative ; mi:assessmentLevel level:assessed-kind ; {Q} .",
            )
        ],
    ),
}

# Vocabulary shapes: the same pattern for each (class, property, scheme); the invalid fixture
# uses a concept of another scheme.
VOCAB_SIMPLE = {
    # shape: (the node without its coded property, property, good value, value of another scheme)
    "Organization-level": (ORG[:-3], "mi:levelOfOperation", "level:nationwide", "kind:cso"),
    "Organization-purpose": (ORG[:-3], "org:purpose", "activity:employment", "level:urban"),
    "Organization-targetGroup": (ORG[:-3], "mi:targetGroup", "target:refugees", "activity:housing"),
    "Project-purpose": (
        f'project:p a schema:Project ; skos:prefLabel "P" ; {Q}',
        "org:purpose",
        "activity:employment",
        "target:women",
    ),
    "Project-targetGroup": (
        f'project:p a schema:Project ; skos:prefLabel "P" ; {Q}',
        "mi:targetGroup",
        "target:women",
        "activity:employment",
    ),
    "Project-country": (
        f'project:p a mi:Initiative ; skos:prefLabel "P" ; {Q}',
        "mi:country",
        "country:LU",
        "kind:cso",
    ),
    "Event-country": (
        f'project:e a schema:Event ; skos:prefLabel "E" ; {Q}',
        "mi:country",
        "country:LU",
        "kind:cso",
    ),
    "Programme-type": (PROG[:-3], "mi:programmeType", "ptype:eu-fund", "kind:foundation"),
    "Programme-country": (PROG[:-3], "mi:country", "country:EU", "ptype:eu-fund"),
    "FundingAward-nature": (
        ORG
        + ORG2
        + f"award:a a mi:FundingAward ; schema:funder actor:y ; mi:recipient actor:x ; {Q}",
        "mi:fundingNature",
        "funding-nature:grant",
        "funding-status:cut",
    ),
    "FundingAward-status": (
        ORG
        + ORG2
        + f"award:a a mi:FundingAward ; schema:funder actor:y ; mi:recipient actor:x ; {Q}",
        "mi:fundingStatus",
        "funding-status:cut",
        "funding-nature:grant",
    ),
    "Membership-role": (
        ORG
        + ORG2
        + f"membership:m a org:Membership ; org:member actor:x ; org:organization actor:y ; {Q}",
        "org:role",
        "membership-role:member",
        "kind:cso",
    ),
    "Relation-nature": (
        ORG + ORG2 + f"rel:p a mi:Partnership ; mi:party actor:x, actor:y ; {Q}",
        "mi:relationNature",
        "relation-nature:consortium",
        "kind:cso",
    ),
    "Partnership-partnerKind": (
        ORG + f"rel:p a mi:Partnership ; mi:party actor:x ; {Q}",
        "mi:partnerKind",
        "kind:company",
        "target:employers",
    ),
    "PositionAssessment-position": (
        GROUP
        + f"assessment:a a mi:PositionAssessment ; oa:hasTarget group:g ; mi:assessmentLevel level:assessed-kind ; prov:wasAttributedTo actor:sirius-consortium ; {Q}",
        "oa:hasBody",
        "position:alternative",
        "kind:cso",
    ),
    "ActorGroup-country": (
        f'group:g a mi:ActorGroup ; skos:prefLabel "G" ; {Q}',
        "mi:country",
        "country:GR",
        "kind:cso",
    ),
    "ActorGroup-kind": (GROUP[:-3], "mi:groupKind", "kind:solidarity-movement", "country:GR"),
    "Quantifier-scheme": (
        GROUP
        + f"assessment:a a mi:PositionAssessment ; oa:hasTarget group:g ; oa:hasBody position:alternative ; mi:assessmentLevel level:assessed-kind ; prov:wasAttributedTo actor:sirius-consortium ; {Q}",
        "mi:quantifier",
        "quantifier:some",
        "kind:cso",
    ),
    "ActorGroup-scope": (GROUP[:-3], "mi:groupScope", "scope:country", "scope:organisation"),
    "AggregateFigure-measure": (
        GROUP
        + f"figure:f a mi:AggregateFigure ; mi:population group:g ; schema:value 5 ; mi:unit unit:count ; {Q}",
        "mi:measure",
        "measure:csos-identified",
        "unit:count",
    ),
    "AggregateFigure-country": (
        GROUP
        + f"figure:f a mi:AggregateFigure ; mi:population group:g ; mi:measure measure:other ; schema:value 5 ; mi:unit unit:count ; {Q}",
        "mi:country",
        "country:GR",
        "level:regional",
    ),
}


def main() -> None:
    """Write the fixtures, replacing the old ones."""
    for sub in ("valid", "invalid"):
        d = HERE / sub
        d.mkdir(exist_ok=True)
        for old in d.glob("*.ttl"):
            old.unlink()
    head = PREFIXES + "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n" + WORLD
    cases = dict(CASES)
    cases["Organization-kindShape"] = (
        ORG,
        [
            (
                "not-a-kind",
                ORG.replace("org:classification kind:cso", "org:classification country:LU"),
            )
        ],
    )
    cases["Organization-countryShape"] = (
        ORG,
        [("not-a-country", ORG.replace("mi:country country:LU", "mi:country kind:cso"))],
    )
    for name, (base, prop, good, bad) in VOCAB_SIMPLE.items():
        cases[name + "Shape"] = (
            f"{base} ; {prop} {good} .\n",
            [("wrong-scheme", f"{base} ; {prop} {bad} .\n")],
        )
    for name, (valid, invalids) in cases.items():
        shape = name
        (HERE / "valid" / f"{shape}.ttl").write_text(head + valid)
        for reason, body in invalids:
            (HERE / "invalid" / f"{shape}--{reason}.ttl").write_text(head + body + "\n")


if __name__ == "__main__":
    main()
