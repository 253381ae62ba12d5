"""Whole-graph validation: the shapes' rules as SPARQL queries run by Oxigraph.

pySHACL (:mod:`kg.validate`) checks node by node in Python: about 5 s per 100k triples, minutes
at a million. This module states each rule of ``ontology/shapes/*.ttl`` once as a SPARQL
SELECT over the whole graph (one query per rule, each answering focus node and offending
value), so that Oxigraph does the work: a million triples in seconds. It returns the same
:class:`kg.validate.ValidationReport` as :func:`kg.validate.validate`, with the same focus nodes
(``tests/scale/test_fastcheck.py`` checks that on every shape fixture and on a generated graph
with injected errors) and the shapes' own ``sh:message`` texts, read from the shapes files.

Correspondence (rule ↔ shape)
------------------------------
Every rule names its node shape (``ValidationResult.node_shape``) and path. :data:`RULES` is
the table; in short, for a shape's target (``sh:targetClass`` with the ontology's
``rdfs:subClassOf`` closure, ``sh:targetObjectsOf``, ``sh:targetSubjectsOf``):

==============================  ==================================================================
SHACL constraint                SPARQL rule
==============================  ==================================================================
``sh:minCount 1``               ``FILTER NOT EXISTS { ?focus path ?v }``
``sh:minCount``/``sh:maxCount`` ``GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < min || > max)``
``sh:class C``                  ``FILTER NOT EXISTS { ?v a ?t }`` with ``?t`` in C's subclasses
``sh:datatype D`` / ``sh:or``   ``FILTER(!isLiteral(?v) || DATATYPE(?v) NOT IN (D...))``
``sh:nodeKind``                 ``FILTER(!isIRI(?v))`` / ``FILTER(!isLiteral(?v))``
``sh:minInclusive m``           ``FILTER(!COALESCE(?v >= m, false))`` (incomparable = violation)
``sh:minLength``/``maxLength``  ``STRLEN(STR(?v))`` (blank nodes violate)
``sh:pattern``                  ``FILTER(isBlank(?v) || !REGEX(STR(?v), pattern))``
``sh:in``                       ``FILTER(?v NOT IN (...))``
``sh:uniqueLang``               two values with the same non-empty language tag
``sh:node [hasValue scheme]``   ``FILTER NOT EXISTS { ?v skos:inScheme <scheme> }`` (vocab shapes)
node-level ``sh:or``            the negation of the disjunction, with ``EXISTS``
``sh:sparql``                   the shape's own query, ``$this`` bound by its target
==============================  ==================================================================

Known differences from pySHACL: results are compared per focus node and shape, not per
constraint component (a node that breaks two constraints of one property shape gives one or two
results in either); Oxigraph reads ``"1"^^xsd:int`` as ``xsd:integer``, so ``sh:datatype
xsd:integer`` accepts it where pySHACL does not. Ill-typed literals (``"2019-02-30"^^xsd:date``)
stop validation with a :class:`~kg.exceptions.LoadError` naming file and line, as in
:mod:`kg.load`.

Incremental re-validation (``changed=FILE``)
-------------------------------------------
A full run writes a small index next to its results (a cache folder, see :func:`cache_dir_for`;
no copy of the triples): per file, its size, mtime, the named nodes it describes and their
``rdf:type``s; per node, the files that point at it; every ``owl:sameAs``; the ontology as
N-Quads. With ``changed``, only that file (and any other whose size or mtime differ) is parsed
again; the rules then run on a small graph made of the new file, the ontology, the types of
everything the file points at, and, read from their files only when needed, the other
descriptions of the nodes the file describes and the nodes that point at a node whose types
changed (an organisation removed or retyped makes awards elsewhere dangle). Results for the
nodes the file describes (before and after the change) and for those referrers replace the
previous ones; the rest of the previous report is kept, so the report covers the whole graph.
A change to the ontology or to more than 8 files falls back to a full run. About 0.5 s for one
file of ~50k triples in a 1M-triple graph (``benchmarks/results/validate-1M.md``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.exceptions import KGError, LoadError
from kg.loader.load import SourceFile, check_literals, discover, load_file
from kg.namespaces import ALL_PREFIXES, BASE_IRI, prefix_block
from kg.settings import Settings, get_settings
from kg.validate.report import ValidationReport, ValidationResult

__all__ = ["RULES", "Rule", "cache_dir_for", "fast_validate", "rule_table"]

SHAPE = "https://w3id.org/integration-kg/shapes#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
XSD = "http://www.w3.org/2001/XMLSchema#"
VOCAB = BASE_IRI + "vocab/"
CACHE_FORMAT = 1

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
        "rdfs",
        "owl",
        "level",
        "unit",
    )
)


def _iri(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return ALL_PREFIXES[prefix] + local


# --------------------------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class Rule:
    """One SHACL constraint (or a group on one path) as a whole-graph SPARQL query.

    Attributes
    ----------
    name : str
        Unique rule name.
    shape : str
        Local name of the node shape it stands for (``shape:<name>``).
    path : str or None
        The property path as written in the shape (``None`` for node-level constraints).
    where : str
        The query body: binds ``?focus`` (and ``?value`` where there is one). ``{T}`` is
        replaced by the shape's target pattern, ``{C:curie}`` by the subclasses of a class.
    target : str
        ``class:<curie>[,<curie>...]``, ``objects:<curie>`` or ``subjects:<curie>``.
    severity : str
        ``Violation`` or ``Warning``.
    message : str
        Fallback message; the shape's own ``sh:message`` is used when found.
    group : bool
        The body is an aggregate (``SELECT ?focus ... GROUP BY ?focus HAVING``).
    """

    name: str
    shape: str
    path: str | None
    target: str
    where: str
    severity: str = "Violation"
    message: str = ""
    group: bool = False


def _min1(name: str, shape: str, target: str, path: str, sev: str = "Violation") -> Rule:
    return Rule(name, shape, path, target, f"{{T}} FILTER NOT EXISTS {{ ?focus {path} ?v }}", sev)


def _count(name: str, shape: str, target: str, path: str, lo: int, hi: int | None) -> Rule:
    n = "COUNT(DISTINCT ?v)"
    cond = f"{n} < {lo}" + (f" || {n} > {hi}" if hi is not None else "")
    body = f"{{T}} OPTIONAL {{ ?focus {path} ?v }} }} GROUP BY ?focus HAVING ({cond}"
    return Rule(name, shape, path, target, body, group=True)


def _values(
    name: str, shape: str, target: str, path: str, cond: str, sev: str = "Violation"
) -> Rule:
    return Rule(name, shape, path, target, f"{{T}} ?focus {path} ?value . FILTER({cond})", sev)


def _cls(curie: str) -> str:
    return f"NOT EXISTS {{ ?value a ?__c . VALUES ?__c {{ {{C:{curie}}} }} }}"


def _unique_lang(name: str, shape: str, target: str, path: str) -> Rule:
    body = (
        f"{{T}} ?focus {path} ?value, ?__b . "
        'FILTER(?value != ?__b && LANG(?value) != "" && LCASE(LANG(?value)) = LCASE(LANG(?__b)))'
    )
    return Rule(name, shape, path, target, body)


def _scheme(shape: str, target: str, path: str, scheme: str) -> Rule:
    return _values(
        shape,
        shape,
        target,
        path,
        f"NOT EXISTS {{ ?value skos:inScheme <{VOCAB}{scheme}> }}",
    )


_NUM = "!isLiteral(?value) || DATATYPE(?value) NOT IN (xsd:decimal, xsd:integer)"
_DATES = "!isLiteral(?value) || DATATYPE(?value) NOT IN (xsd:gYear, xsd:date, xsd:gYearMonth)"
_ORG = "class:org:Organization"
_AWARD = "class:mi:FundingAward"
_QUOTE = "objects:prov:wasDerivedFrom"
_PERIOD_VALUE = "time:inXSDgYear|time:inXSDDate|time:inXSDgYearMonth|time:inXSDDateTime"

RULES: list[Rule] = [
    # --- provenance
    _count("Quote-source-count", "QuoteShape", _QUOTE, "oa:hasSource", 1, 1),
    _values("Quote-source-class", "QuoteShape", _QUOTE, "oa:hasSource", _cls("mi:SourceDocument")),
    _count("Quote-exact-count", "QuoteShape", _QUOTE, "oa:hasSelector/oa:exact", 1, 1),
    _values(
        "Quote-exact-value",
        "QuoteShape",
        _QUOTE,
        "oa:hasSelector/oa:exact",
        "!isLiteral(?value) || DATATYPE(?value) != xsd:string || STRLEN(STR(?value)) < 3",
    ),
    _count("Quote-line-count", "QuoteShape", _QUOTE, "mi:line", 0, 1),
    _values(
        "Quote-line-value",
        "QuoteShape",
        _QUOTE,
        "mi:line",
        "!isLiteral(?value) || DATATYPE(?value) != xsd:integer || !COALESCE(?value >= 1, false)",
    ),
    _min1(
        "Provenance",
        "ProvenanceShape",
        "class:org:Organization,mi:FundingProgramme,schema:Project,mi:Service,schema:Event,"
        "mi:FundingAward,org:Membership,mi:Relation,mi:PositionAssessment,mi:ActorGroup,"
        "mi:AggregateFigure",
        "prov:wasDerivedFrom",
    ),
    _min1(
        "SourceDocument-title", "SourceDocumentShape", "class:mi:SourceDocument", "dcterms:title"
    ),
    _count(
        "SourceDocument-file-count",
        "SourceDocumentShape",
        "class:mi:SourceDocument",
        "mi:fileName",
        1,
        1,
    ),
    _values(
        "SourceDocument-file-value",
        "SourceDocumentShape",
        "class:mi:SourceDocument",
        "mi:fileName",
        "!isLiteral(?value) || DATATYPE(?value) != xsd:string",
    ),
    # --- organisations
    _min1("Organization-label-min", "OrganizationShape", _ORG, "skos:prefLabel"),
    _values(
        "Organization-label-kind", "OrganizationShape", _ORG, "skos:prefLabel", "!isLiteral(?value)"
    ),
    _unique_lang("Organization-label-lang", "OrganizationShape", _ORG, "skos:prefLabel"),
    _min1("Organization-kind-min", "OrganizationShape", _ORG, "org:classification"),
    _values(
        "Organization-kind-iri", "OrganizationShape", _ORG, "org:classification", "!isIRI(?value)"
    ),
    _count("Organization-founding-count", "OrganizationShape", _ORG, "schema:foundingDate", 0, 1),
    _values("Organization-founding-type", "OrganizationShape", _ORG, "schema:foundingDate", _DATES),
    _count(
        "Anonymous-code-count",
        "AnonymousOrganisationShape",
        "class:mi:AnonymousOrganisation",
        "mi:anonymisedCode",
        1,
        1,
    ),
    _values(
        "Anonymous-code-type",
        "AnonymousOrganisationShape",
        "class:mi:AnonymousOrganisation",
        "mi:anonymisedCode",
        "!isLiteral(?value) || DATATYPE(?value) != xsd:string",
    ),
    _values(
        "Anonymous-same-as",
        "AnonymousOrganisationShape",
        "class:mi:AnonymousOrganisation",
        "owl:sameAs",
        "true",
    ),
    _values(
        "Anonymous-same-as-inverse",
        "AnonymousOrganisationShape",
        "class:mi:AnonymousOrganisation",
        "^owl:sameAs",
        "true",
    ),
    # --- funding
    _min1(
        "Programme-label-min",
        "FundingProgrammeShape",
        "class:mi:FundingProgramme",
        "skos:prefLabel",
    ),
    _unique_lang(
        "Programme-label-lang",
        "FundingProgrammeShape",
        "class:mi:FundingProgramme",
        "skos:prefLabel",
    ),
    _values(
        "Programme-managed-by",
        "FundingProgrammeShape",
        "class:mi:FundingProgramme",
        "mi:managedBy",
        _cls("org:Organization"),
    ),
    _values(
        "Programme-part-of",
        "FundingProgrammeShape",
        "class:mi:FundingProgramme",
        "dcterms:isPartOf",
        _cls("mi:FundingProgramme"),
    ),
    Rule(
        "Award-funder-or-programme",
        "FundingAwardShape",
        None,
        _AWARD,
        "{T} FILTER NOT EXISTS { ?focus schema:funder|mi:awardedUnder|mi:fundingNature ?v }",
    ),
    _values(
        "Award-funder-class", "FundingAwardShape", _AWARD, "schema:funder", _cls("org:Organization")
    ),
    _values(
        "Award-programme-class",
        "FundingAwardShape",
        _AWARD,
        "mi:awardedUnder",
        _cls("mi:FundingProgramme"),
    ),
    _values(
        "Award-funded-from-class",
        "FundingAwardShape",
        _AWARD,
        "mi:fundedFrom",
        _cls("mi:FundingAward"),
    ),
    _count("Award-amount-count", "FundingAwardShape", _AWARD, "schema:amount", 0, 1),
    Rule(
        "Award-recipient-or-item",
        "FundingAward-recipientShape",
        None,
        _AWARD,
        "{T} FILTER NOT EXISTS { ?focus mi:recipient|schema:fundedItem ?v }",
    ),
    _values(
        "Award-recipient-class",
        "FundingAward-recipientShape",
        _AWARD,
        "mi:recipient",
        _cls("org:Organization"),
    ),
    _count(
        "Amount-value-count", "MonetaryAmountShape", "objects:schema:amount", "schema:value", 1, 1
    ),
    _values(
        "Amount-value",
        "MonetaryAmountShape",
        "objects:schema:amount",
        "schema:value",
        f"{_NUM} || !COALESCE(?value >= 0, false)",
    ),
    _count(
        "Amount-currency-count",
        "MonetaryAmountShape",
        "objects:schema:amount",
        "schema:currency",
        1,
        1,
    ),
    _values(
        "Amount-currency-pattern",
        "MonetaryAmountShape",
        "objects:schema:amount",
        "schema:currency",
        'isBlank(?value) || !REGEX(STR(?value), "^[A-Z]{3}$")',
    ),
    # --- memberships and relations
    _count(
        "Membership-member-count", "MembershipShape", "class:org:Membership", "org:member", 1, 1
    ),
    _values(
        "Membership-member-class",
        "MembershipShape",
        "class:org:Membership",
        "org:member",
        _cls("org:Organization"),
    ),
    _count(
        "Membership-body-count", "MembershipShape", "class:org:Membership", "org:organization", 1, 1
    ),
    _values(
        "Membership-body-class",
        "MembershipShape",
        "class:org:Membership",
        "org:organization",
        _cls("org:Organization"),
    ),
    _count("Membership-role-count", "MembershipShape", "class:org:Membership", "org:role", 0, 1),
    _values(
        "Membership-role-iri",
        "MembershipShape",
        "class:org:Membership",
        "org:role",
        "!isIRI(?value)",
    ),
    Rule(
        "Partnership-parties",
        "PartnershipShape",
        None,
        "class:mi:Partnership",
        "{T} OPTIONAL { ?focus mi:party ?v } OPTIONAL { ?focus mi:partnerKind ?k } } "
        "GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < 2 && "
        "!(COUNT(DISTINCT ?v) >= 1 && COUNT(?k) >= 1)",
        group=True,
    ),
    _values(
        "Partnership-party-class",
        "PartnershipShape",
        "class:mi:Partnership",
        "mi:party",
        _cls("org:Organization"),
    ),
    Rule(
        "Directed-origin",
        "DirectedRelationShape",
        None,
        "class:mi:Referral,mi:PlacementHosting,mi:RevenueSharing",
        "{T} FILTER NOT EXISTS { ?focus mi:fromParty|mi:aboutProject ?v }",
    ),
    _count(
        "Directed-from-count",
        "DirectedRelationShape",
        "class:mi:Referral,mi:PlacementHosting,mi:RevenueSharing",
        "mi:fromParty",
        0,
        1,
    ),
    _values(
        "Directed-from-class",
        "DirectedRelationShape",
        "class:mi:Referral,mi:PlacementHosting,mi:RevenueSharing",
        "mi:fromParty",
        _cls("org:Organization"),
    ),
    _count(
        "Directed-to-count",
        "DirectedRelationShape",
        "class:mi:Referral,mi:PlacementHosting,mi:RevenueSharing",
        "mi:toParty",
        1,
        1,
    ),
    _values(
        "Directed-to-class",
        "DirectedRelationShape",
        "class:mi:Referral,mi:PlacementHosting,mi:RevenueSharing",
        "mi:toParty",
        _cls("org:Organization"),
    ),
    # --- projects
    _min1(
        "Project-label-min",
        "ProjectShape",
        "class:schema:Project,mi:Service,schema:Event",
        "skos:prefLabel",
    ),
    _unique_lang(
        "Project-label-lang",
        "ProjectShape",
        "class:schema:Project,mi:Service,schema:Event",
        "skos:prefLabel",
    ),
    _values(
        "Project-run-by",
        "ProjectShape",
        "class:schema:Project,mi:Service,schema:Event",
        "mi:runBy",
        _cls("org:Organization"),
    ),
    _values(
        "Project-partner",
        "ProjectShape",
        "class:schema:Project,mi:Service,schema:Event",
        "mi:partner",
        _cls("org:Organization"),
    ),
    _count(
        "Project-attendance-count",
        "ProjectShape",
        "class:schema:Project,mi:Service,schema:Event",
        "mi:attendance",
        0,
        1,
    ),
    _values(
        "Project-attendance-value",
        "ProjectShape",
        "class:schema:Project,mi:Service,schema:Event",
        "mi:attendance",
        "!isLiteral(?value) || DATATYPE(?value) != xsd:integer || !COALESCE(?value >= 0, false)",
    ),
    # --- typology
    _count(
        "Assessment-target-count",
        "PositionAssessmentShape",
        "class:mi:PositionAssessment",
        "oa:hasTarget",
        1,
        1,
    ),
    _values(
        "Assessment-target-class",
        "PositionAssessmentShape",
        "class:mi:PositionAssessment",
        "oa:hasTarget",
        "NOT EXISTS { ?value a ?__c . VALUES ?__c { {C:org:Organization} {C:mi:ActorGroup} } }",
    ),
    _count(
        "Assessment-body-count",
        "PositionAssessmentShape",
        "class:mi:PositionAssessment",
        "oa:hasBody",
        1,
        1,
    ),
    _values(
        "Assessment-body-iri",
        "PositionAssessmentShape",
        "class:mi:PositionAssessment",
        "oa:hasBody",
        "!isIRI(?value)",
    ),
    _count(
        "Assessment-level-count",
        "PositionAssessmentShape",
        "class:mi:PositionAssessment",
        "mi:assessmentLevel",
        1,
        1,
    ),
    _values(
        "Assessment-level-in",
        "PositionAssessmentShape",
        "class:mi:PositionAssessment",
        "mi:assessmentLevel",
        "?value NOT IN (level:assessed-organisation, level:assessed-kind, level:assessed-country)",
    ),
    _count(
        "Assessment-negated-count",
        "PositionAssessmentShape",
        "class:mi:PositionAssessment",
        "mi:negated",
        0,
        1,
    ),
    _values(
        "Assessment-negated-type",
        "PositionAssessmentShape",
        "class:mi:PositionAssessment",
        "mi:negated",
        "!isLiteral(?value) || DATATYPE(?value) != xsd:boolean",
    ),
    _min1("Group-label-min", "ActorGroupShape", "class:mi:ActorGroup", "skos:prefLabel"),
    _unique_lang("Group-label-lang", "ActorGroupShape", "class:mi:ActorGroup", "skos:prefLabel"),
    _min1("Group-country-min", "ActorGroupShape", "class:mi:ActorGroup", "mi:country"),
    _count(
        "Figure-value-count",
        "AggregateFigureShape",
        "class:mi:AggregateFigure",
        "schema:value",
        1,
        1,
    ),
    _values(
        "Figure-value",
        "AggregateFigureShape",
        "class:mi:AggregateFigure",
        "schema:value",
        f"{_NUM} || !COALESCE(?value >= 0, false)",
    ),
    _count(
        "Figure-measure-count",
        "AggregateFigureShape",
        "class:mi:AggregateFigure",
        "mi:measure",
        1,
        1,
    ),
    _count(
        "Figure-unit-count", "AggregateFigureShape", "class:mi:AggregateFigure", "mi:unit", 1, 1
    ),
    _values(
        "Figure-unit-in",
        "AggregateFigureShape",
        "class:mi:AggregateFigure",
        "mi:unit",
        "?value NOT IN (unit:count, unit:percent)",
    ),
    _values(
        "Figure-population-class",
        "AggregateFigureShape",
        "class:mi:AggregateFigure",
        "mi:population",
        _cls("mi:ActorGroup"),
    ),
    # --- periods (the shapes' own SPARQL)
    Rule(
        "Interval-order",
        "IntervalOrderShape",
        None,
        "subjects:time:hasEnd",
        f"{{T}} ?focus time:hasBeginning/({_PERIOD_VALUE}) ?b ; time:hasEnd/({_PERIOD_VALUE}) ?e . "
        "FILTER (SUBSTR(STR(?b), 1, STRLEN(STR(?e))) > STR(?e))",
    ),
    Rule(
        "Date-order",
        "DateOrderShape",
        None,
        "subjects:schema:endDate",
        "{T} ?focus schema:startDate ?b ; schema:endDate ?e . "
        "FILTER (SUBSTR(STR(?b), 1, STRLEN(STR(?e))) > STR(?e))",
    ),
    # --- vocabulary shapes: coded values from the right scheme
    _scheme("Organization-kindShape", _ORG, "org:classification", "kind"),
    _scheme("Organization-countryShape", _ORG, "mi:country", "country"),
    _scheme("Organization-levelShape", _ORG, "mi:levelOfOperation", "level"),
    _scheme("Organization-purposeShape", _ORG, "org:purpose", "activity"),
    _scheme("Organization-targetGroupShape", _ORG, "mi:targetGroup", "target"),
    _scheme("Project-purposeShape", "class:schema:Project", "org:purpose", "activity"),
    _scheme("Project-targetGroupShape", "class:schema:Project", "mi:targetGroup", "target"),
    _scheme("Project-countryShape", "class:schema:Project", "mi:country", "country"),
    _scheme("Event-countryShape", "class:schema:Event", "mi:country", "country"),
    _scheme(
        "Programme-typeShape", "class:mi:FundingProgramme", "mi:programmeType", "programme-type"
    ),
    _scheme("Programme-countryShape", "class:mi:FundingProgramme", "mi:country", "country"),
    _scheme("FundingAward-natureShape", _AWARD, "mi:fundingNature", "funding-nature"),
    _scheme("FundingAward-statusShape", _AWARD, "mi:fundingStatus", "funding-status"),
    _scheme("Membership-roleShape", "class:org:Membership", "org:role", "membership-role"),
    _scheme("Relation-natureShape", "class:mi:Relation", "mi:relationNature", "relation-nature"),
    _scheme("Partnership-partnerKindShape", "class:mi:Partnership", "mi:partnerKind", "kind"),
    _scheme(
        "PositionAssessment-positionShape", "class:mi:PositionAssessment", "oa:hasBody", "position"
    ),
    _scheme("ActorGroup-countryShape", "class:mi:ActorGroup", "mi:country", "country"),
    _scheme("ActorGroup-kindShape", "class:mi:ActorGroup", "mi:groupKind", "kind"),
    _scheme("Quantifier-schemeShape", "subjects:mi:quantifier", "mi:quantifier", "quantifier"),
    _count(
        "Quantifier-count",
        "Quantifier-schemeShape",
        "subjects:mi:quantifier",
        "mi:quantifier",
        0,
        1,
    ),
    _count(
        "ActorGroup-scope-count",
        "ActorGroup-scopeShape",
        "class:mi:ActorGroup",
        "mi:groupScope",
        0,
        1,
    ),
    _values(
        "ActorGroup-scope-in",
        "ActorGroup-scopeShape",
        "class:mi:ActorGroup",
        "mi:groupScope",
        f"?value NOT IN (<{VOCAB}scope/group>, <{VOCAB}scope/country>)",
    ),
    _scheme("AggregateFigure-measureShape", "class:mi:AggregateFigure", "mi:measure", "measure"),
    _scheme("AggregateFigure-countryShape", "class:mi:AggregateFigure", "mi:country", "country"),
    # --- recommended shapes (warnings)
    _min1(
        "Organization-countryRecommendedShape",
        "Organization-countryRecommendedShape",
        _ORG,
        "mi:country",
        "Warning",
    ),
    _values(
        "Quote-lengthRecommendedShape",
        "Quote-lengthRecommendedShape",
        _QUOTE,
        "oa:hasSelector/oa:exact",
        "isBlank(?value) || STRLEN(STR(?value)) > 400",
        "Warning",
    ),
    _min1(
        "FundingProgramme-typeRecommendedShape",
        "FundingProgramme-typeRecommendedShape",
        "class:mi:FundingProgramme",
        "mi:programmeType",
        "Warning",
    ),
    _min1(
        "PositionAssessment-assessorRecommendedShape",
        "PositionAssessment-assessorRecommendedShape",
        "class:mi:PositionAssessment",
        "prov:wasAttributedTo",
        "Warning",
    ),
]


def rule_table() -> list[dict[str, str | None]]:
    """Return the rule ↔ shape correspondence as rows (rule, shape, path, target, severity)."""
    return [
        {
            "rule": r.name,
            "shape": r.shape,
            "path": r.path,
            "target": r.target,
            "severity": r.severity,
        }
        for r in RULES
    ]


# --------------------------------------------------------------------------------------------
# Building and running the queries


def _class_closure(store: ox.Store, curie: str, cache: dict[str, list[str]]) -> list[str]:
    if curie not in cache:
        q = f"SELECT DISTINCT ?c WHERE {{ ?c rdfs:subClassOf* <{_iri(curie)}> }}"
        found = {r["c"].value for r in store.query(PREFIXES + q, use_default_graph_as_union=True)}
        found.add(_iri(curie))
        cache[curie] = sorted(found)
    return cache[curie]


def _target(rule: Rule, store: ox.Store, cache: dict[str, list[str]]) -> str:
    kind, _, spec = rule.target.partition(":")
    if kind == "class":
        classes = sorted({c for cur in spec.split(",") for c in _class_closure(store, cur, cache)})
        values = " ".join(f"<{c}>" for c in classes)
        return f"?focus a ?__t . VALUES ?__t {{ {values} }}"
    if kind == "objects":
        return f"?__s {spec} ?focus ."
    if kind == "subjects":
        return f"?focus {spec} ?__o ."
    raise KGError(f"fastcheck: bad target {rule.target!r} in rule {rule.name}")


def build_query(rule: Rule, store: ox.Store, cache: dict[str, list[str]] | None = None) -> str:
    """Return the SPARQL text of ``rule`` for the classes found in ``store``."""
    cache = {} if cache is None else cache
    body = rule.where.replace("{T}", _target(rule, store, cache))
    body = re.sub(
        r"\{C:([a-z]+:[A-Za-z]+)\}",
        lambda m: " ".join(f"<{c}>" for c in _class_closure(store, m.group(1), cache)),
        body,
    )
    if rule.group:
        return f"{PREFIXES}SELECT ?focus WHERE {{ {body} )"
    has_value = "?value" in body
    return f"{PREFIXES}SELECT DISTINCT ?focus{' ?value' if has_value else ''} WHERE {{ {body} }}"


def _messages(shapes_dir: Path) -> dict[tuple[str, str | None], str]:
    """Map (node shape local name, path text) to the shape's sh:message."""
    st = ox.Store()
    for f in sorted(shapes_dir.glob("*.ttl")):
        st.load(path=str(f), format=ox.RdfFormat.TURTLE)
    out: dict[tuple[str, str | None], str] = {}
    q = """PREFIX sh: <http://www.w3.org/ns/shacl#>
    SELECT ?s ?kind ?p ?m WHERE {
      { ?s sh:message ?m . BIND("node" AS ?kind) }
      UNION { ?s sh:sparql/sh:message ?m . BIND("node" AS ?kind) }
      UNION { ?s sh:property ?ps . ?ps sh:path ?p ; sh:message ?m .
              FILTER(isIRI(?p)) BIND("iri" AS ?kind) }
      UNION { ?s sh:property ?ps . ?ps sh:path/rdf:first ?p ; sh:message ?m .
              BIND("seq" AS ?kind) }
      UNION { ?s sh:property ?ps . ?ps sh:path/sh:inversePath ?p ; sh:message ?m .
              BIND("inv" AS ?kind) }
      FILTER(isIRI(?s))
    }"""
    q = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n" + q
    for r in st.query(q):
        shape = r["s"].value.removeprefix(SHAPE)
        kind = r["kind"].value
        p = r["p"].value if r["p"] is not None else None
        out[(shape, f"{kind}:{p}" if p else "node")] = r["m"].value
    return out


def _message_for(rule: Rule, messages: dict[tuple[str, str | None], str]) -> str:
    if rule.path is None:
        key = "node"
    elif rule.path.startswith("^"):
        key = f"inv:{_iri(rule.path[1:])}"
    elif "/" in rule.path:
        key = f"seq:{_iri(rule.path.split('/')[0])}"
    else:
        key = f"iri:{_iri(rule.path)}"
    return (
        messages.get((rule.shape, key))
        or messages.get((rule.shape, "node"))
        or rule.message
        or rule.name
    )


@dataclass(frozen=True)
class _Hit:
    rule: Rule
    focus: ox.NamedNode | ox.BlankNode
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    b: str | None = None
    e: str | None = None


def _run_rules(store: ox.Store, rules: Iterable[Rule]) -> list[_Hit]:
    cache: dict[str, list[str]] = {}
    hits: list[_Hit] = []
    for rule in rules:
        q = build_query(rule, store, cache)
        period = rule.shape in ("IntervalOrderShape", "DateOrderShape")
        if period:
            q = q.replace("SELECT DISTINCT ?focus", "SELECT DISTINCT ?focus ?b ?e")
        has_value = "?value" in q.split("WHERE", 1)[0]
        try:
            res = store.query(q, use_default_graph_as_union=True)
        except SyntaxError as exc:  # a bug in a rule, not in the data
            raise KGError(f"fastcheck rule {rule.name}: {exc}\n{q}") from exc
        for row in res:
            b = row["b"].value if period and row["b"] is not None else None
            e = row["e"].value if period and row["e"] is not None else None
            value = row["value"] if has_value else None
            hits.append(_Hit(rule, row["focus"], value, b, e))
    return hits


# --------------------------------------------------------------------------------------------
# Loading


def _files(settings: Settings, data_files: list[Path] | None) -> list[SourceFile]:
    every = discover(settings, data=data_files is None)
    if data_files is not None:
        every += [SourceFile(Path(p), ox.NamedNode(Path(p).resolve().as_uri())) for p in data_files]
    return every


# --------------------------------------------------------------------------------------------
# Reporting


def _simple_path(path: str | None) -> str | None:
    return _iri(path) if path and re.fullmatch(r"[a-z]+:[A-Za-z]+", path) else None


def _anchor(store: ox.Store, node: ox.NamedNode | ox.BlankNode) -> ox.NamedNode | ox.BlankNode:
    frontier = [node]
    for _ in range(4):
        parents = [q.subject for n in frontier for q in store.quads_for_pattern(None, None, n)]
        named = [p for p in parents if isinstance(p, ox.NamedNode)]
        if named:
            return min(named, key=lambda n: n.value)
        if not parents:
            break
        frontier = parents  # type: ignore[assignment]
    return node


def _report(
    store: ox.Store,
    hits: list[_Hit],
    messages: dict[tuple[str, str | None], str],
    paths: dict[str, Path],
) -> list[ValidationResult]:
    results: list[ValidationResult] = []
    for h in hits:
        focus = h.focus
        anchor = _anchor(store, focus) if isinstance(focus, ox.BlankNode) else focus
        label = next(
            (
                q.object.value
                for q in store.quads_for_pattern(anchor, ox.NamedNode(SKOS_PREF), None)
            ),
            None,
        )
        graphs = {
            q.graph_name.value
            for q in store.quads_for_pattern(focus, None, None)
            if isinstance(q.graph_name, ox.NamedNode)
        }
        files = tuple(sorted(str(paths[g]) for g in graphs if g in paths))
        message = _message_for(h.rule, messages)
        if h.b is not None and h.e is not None:
            message = message.replace("{?b}", h.b).replace("{?e}", h.e)
        focus_text = (
            focus.value
            if isinstance(focus, ox.NamedNode)
            else f"_:{focus.value} (in {anchor.value})"
        )
        value = None if h.value is None else h.value.value
        results.append(
            ValidationResult(
                severity=h.rule.severity,
                focus_node=focus_text,
                focus_label=label,
                path=_simple_path(h.rule.path),
                value=value,
                message=message,
                shape=f"fastcheck:{h.rule.name}",
                files=files,
                node_shape=SHAPE + h.rule.shape,
            )
        )
    results.sort(key=lambda r: (r.severity != "Violation", r.files, r.focus_node, r.shape or ""))
    return results


# --------------------------------------------------------------------------------------------
# Cache for incremental runs: a small index of the last full graph (no copy of the triples)


@dataclass
class _Index:
    """What an incremental run needs to know about the files it does not re-read."""

    files: dict[str, dict[str, Any]]  # graph -> {"path": str, "stat": [size, mtime_ns]}
    subjects: dict[str, set[str]]  # graph -> named subjects described there
    types: dict[str, dict[str, tuple[str, ...]]]  # graph -> subject -> rdf:types stated there
    refs: dict[str, set[str]]  # node (IRI, not a code-list concept) -> graphs pointing at it
    same_as: list[tuple[str, str, str]]  # (s, o, graph) of every owl:sameAs triple
    results: list[ValidationResult]
    triples: int
    format: int = CACHE_FORMAT


def cache_dir_for(files: list[SourceFile]) -> Path:
    """Return the cache folder for a set of files (``KG_FASTCHECK_CACHE`` or ``~/.cache``)."""
    root = os.environ.get("KG_FASTCHECK_CACHE")
    base = (
        Path(root)
        if root
        else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "integration-kg"
        / "fastcheck"
    )
    paths = sorted(str(f.path.resolve()) for f in files if not _is_onto(f))
    key = hashlib.sha1("\n".join(paths).encode()).hexdigest()[:16]
    return base / key


def _is_onto(f: SourceFile) -> bool:
    return "/ontology/" in f.graph.value or "/ontology/" in f.path.resolve().as_posix()


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


_INDEX_SUBJECTS = """SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }"""
_INDEX_TYPES = """SELECT ?g ?s ?t WHERE { GRAPH ?g { ?s a ?t } FILTER(isIRI(?s)) }"""
_INDEX_REFS = """SELECT DISTINCT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o }
  FILTER(isIRI(?o) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) }"""
_INDEX_SAME_AS = (
    """SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o } }"""
)


def _index_parts(
    store: ox.Store,
) -> tuple[
    dict[str, set[str]],
    dict[str, dict[str, tuple[str, ...]]],
    dict[str, set[str]],
    list[tuple[str, str, str]],
]:
    subjects: dict[str, set[str]] = defaultdict(set)
    for r in store.query(_INDEX_SUBJECTS):
        subjects[r["g"].value].add(r["s"].value)
    tmp: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in store.query(_INDEX_TYPES):
        tmp[r["g"].value][r["s"].value].append(r["t"].value)
    types = {g: {s: tuple(sorted(t)) for s, t in d.items()} for g, d in tmp.items()}
    refs: dict[str, set[str]] = defaultdict(set)
    for r in store.query(_INDEX_REFS):
        o = r["o"].value
        if not o.startswith(VOCAB):
            refs[o].add(r["g"].value)
    same_as = [
        (r["s"].value, r["o"].value if isinstance(r["o"], ox.NamedNode) else "", r["g"].value)
        for r in store.query(_INDEX_SAME_AS)
        if isinstance(r["s"], ox.NamedNode)
    ]
    return dict(subjects), types, dict(refs), same_as


def _write_index(cache: Path, index: _Index) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / "index.pickle.tmp"
    with tmp.open("wb") as fh:
        pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, cache / "index.pickle")


def _read_index(cache: Path) -> _Index | None:
    try:
        with (cache / "index.pickle").open("rb") as fh:
            index = pickle.load(fh)  # noqa: S301 - our own cache file
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None
    return index if isinstance(index, _Index) and index.format == CACHE_FORMAT else None


# --------------------------------------------------------------------------------------------
# Entry point


def fast_validate(
    settings: Settings | None = None,
    *,
    data_files: list[Path] | None = None,
    changed: Path | None = None,
    cache: bool | Path = True,
) -> ValidationReport:
    """Validate the graph (or ``data_files``) with the shapes' rules as SPARQL queries.

    Parameters
    ----------
    settings : Settings, optional
        Where the ontology, shapes and data are.
    data_files : list of Path, optional
        Validate these Turtle files (with the ontology and vocabularies) instead of ``data/ttl``.
    changed : Path, optional
        Re-validate after a change to this one file, reusing the index and results of the
        previous run (a full run happens instead when there is none).
    cache : bool or Path
        Keep an index of the graph for later ``changed`` runs (``True``: in
        :func:`cache_dir_for`; a path: there; ``False``: keep nothing).

    Returns
    -------
    ValidationReport
        The same report as :func:`kg.validate.validate` (``node_shape`` names the shape,
        ``shape`` the rule, ``fastcheck:<rule>``).

    Raises
    ------
    LoadError
        A file cannot be parsed, or holds an ill-typed literal (file and line named).
    """
    s = settings or get_settings()
    files = _files(s, data_files)
    if changed is not None:
        changed = Path(changed)
        if not changed.is_file():
            raise LoadError(f"{changed}: no such file")
        if not any(f.path.resolve() == changed.resolve() for f in files):
            files.append(SourceFile(changed, ox.NamedNode(changed.resolve().as_uri())))
    cache_path: Path | None
    if cache is False:
        cache_path = None
    elif cache is True:
        cache_path = cache_dir_for(files)
    else:
        cache_path = Path(cache)
    messages = _messages(s.shapes_dir)
    if changed is not None and cache_path is not None:
        index = _read_index(cache_path)
        if index is not None:
            report = _incremental(files, changed, cache_path, index, messages)
            if report is not None:
                return report
    onto_dir = s.ontology_dir.resolve()
    schema = [f.graph for f in files if f.path.resolve().parent == onto_dir]
    return _full(files, cache_path, messages, schema)


def _full(
    files: list[SourceFile],
    cache_path: Path | None,
    messages: dict[tuple[str, str | None], str],
    schema: list[ox.NamedNode],
) -> ValidationReport:
    paths = {f.graph.value: f.path for f in files}
    store = ox.Store()
    for f in files:
        load_file(store, f)
    check_literals(store, files)
    hits = _run_rules(store, RULES)
    # Count the data and code lists, not the ontology, as kg.validate does.
    triples = len(store) - sum(
        1 for g in schema for _ in store.quads_for_pattern(None, None, None, g)
    )
    report = ValidationReport(results=_report(store, hits, messages, paths), triples=triples)
    if cache_path is not None:
        subjects, types, refs, same_as = _index_parts(store)
        counts = {
            r["g"].value: int(r["n"].value)
            for r in store.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            )
        }
        stats = {
            f.graph.value: {
                "path": str(f.path),
                "stat": _stat(f.path),
                "triples": counts.get(f.graph.value, 0),
            }
            for f in files
        }
        _write_index(
            cache_path,
            _Index(stats, subjects, types, refs, same_as, report.results, report.triples),
        )
        onto = [f.graph for f in files if _is_onto(f)]
        quads = [q for g in onto for q in store.quads_for_pattern(None, None, None, g)]
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        (cache_path / "ontology.nq.tmp").write_bytes(data)
        os.replace(cache_path / "ontology.nq.tmp", cache_path / "ontology.nq")
    return report


def _copy_closure(
    src: ox.Store,
    nodes: Iterable[ox.NamedNode],
    graphs: set[str] | None,
) -> list[ox.Quad]:
    """Quads describing ``nodes`` in ``src`` (only in ``graphs`` if given), with blank nodes."""
    out: list[ox.Quad] = []
    stack: list[ox.NamedNode | ox.BlankNode] = list(nodes)
    seen: set[ox.BlankNode] = set()
    while stack:
        node = stack.pop()
        for q in src.quads_for_pattern(node, None, None):
            if graphs is not None and q.graph_name.value not in graphs:  # type: ignore[union-attr]
                continue
            out.append(q)
            if isinstance(q.object, ox.BlankNode) and q.object not in seen:
                seen.add(q.object)
                stack.append(q.object)
    return out


def _incremental(
    files: list[SourceFile],
    changed: Path,
    cache_path: Path,
    index: _Index,
    messages: dict[tuple[str, str | None], str],
) -> ValidationReport | None:
    """Re-check the nodes of the changed file(s) on a small subgraph; ``None``: run in full."""
    paths = {f.graph.value: f.path for f in files}
    by_graph = {f.graph.value: f for f in files}
    todo = [
        f
        for f in files
        if f.path.resolve() == changed.resolve()
        or f.graph.value not in index.files
        or index.files[f.graph.value]["stat"] != _stat(f.path)
    ]
    removed = [g for g in index.files if g not in paths]
    if any(_is_onto(f) for f in todo) or len(todo) + len(removed) > 8:
        return None  # the ontology or many files changed: a full run costs the same
    dirty = {f.graph.value for f in todo} | set(removed)
    # 1. The new versions, parsed first: a bad file stops here and changes nothing.
    fresh = ox.Store()
    for f in todo:
        load_file(fresh, f)
    check_literals(fresh, todo)
    new_subjects, new_types, _, new_same = _index_parts(fresh)
    # 2. The nodes to re-check: those the changed files describe (before and after), those that
    #    point at a node whose types changed, and the objects of owl:sameAs triples.
    touched: set[str] = set()
    for g in dirty:
        touched |= index.subjects.get(g, set()) | new_subjects.get(g, set())
    old_types: dict[str, set[str]] = defaultdict(set)
    for g in dirty:
        for s, ts in index.types.get(g, {}).items():
            old_types[s].update(ts)
    now_types: dict[str, set[str]] = defaultdict(set)
    for ts_by_s in new_types.values():
        for s, ts in ts_by_s.items():
            now_types[s].update(ts)
    retyped = {s for s in touched if old_types.get(s, set()) != now_types.get(s, set())}
    focus = set(touched)
    extra_graphs: set[str] = set()
    for s in retyped:
        extra_graphs |= index.refs.get(s, set())
    same_objects = {o for s, o, g in index.same_as if g in dirty} | {o for _, o, _ in new_same if o}
    focus |= same_objects
    # Nodes of the focus that other (unchanged) files also describe.
    for g, subj in index.subjects.items():
        if (
            g not in dirty
            and g in by_graph
            and not _is_onto(by_graph[g])
            and not subj.isdisjoint(focus)
        ):
            extra_graphs.add(g)
    extra_graphs -= dirty
    if len(extra_graphs) > 8:
        return None
    # 3. The subgraph: changed files, the focus nodes' descriptions elsewhere, the ontology, and
    #    the types of everything pointed at.
    counts = {
        r["g"].value: int(r["n"].value)
        for r in fresh.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    raw_refs: dict[str, set[str]] = defaultdict(set)
    for r in fresh.query(_INDEX_REFS):
        raw_refs[r["o"].value].add(r["g"].value)
    objects = set(raw_refs)
    fresh_triples = len(fresh)
    sub = fresh  # the changed files, then what else the rules need
    quads: list[ox.Quad] = []
    onto_dump = cache_path / "ontology.nq"
    if onto_dump.is_file():
        sub.bulk_load(path=str(onto_dump), format=ox.RdfFormat.N_QUADS)
    else:
        for f in files:
            if _is_onto(f):
                load_file(sub, f)
    if extra_graphs:
        other = ox.Store()
        for g in sorted(extra_graphs):
            load_file(other, by_graph[g])
        referrers = {
            q.subject.value
            for s in retyped
            for q in other.quads_for_pattern(None, None, ox.NamedNode(s))
            if isinstance(q.subject, ox.NamedNode)
        }
        focus |= referrers
        quads += _copy_closure(other, (ox.NamedNode(n) for n in focus), None)
        objects |= {q.object.value for q in quads if isinstance(q.object, ox.NamedNode)}
    all_types: dict[str, set[str]] = defaultdict(set)
    for g, ts_by_s in index.types.items():
        if g in dirty:
            continue
        for s, ts in ts_by_s.items():
            if s in objects:
                all_types[s].update(ts)
    for s, ts in now_types.items():
        all_types[s].update(ts)
    rdf_type = ox.NamedNode(RDF_TYPE)
    scratch = ox.NamedNode("urn:x-kg:fastcheck:types")
    for o in objects:
        for t in all_types.get(o, ()):
            quads.append(ox.Quad(ox.NamedNode(o), rdf_type, ox.NamedNode(t), scratch))
    same = ox.NamedNode(OWL_SAME_AS)
    for s, o, g in index.same_as:
        if g not in dirty and o in focus:
            quads.append(ox.Quad(ox.NamedNode(s), same, ox.NamedNode(o), ox.NamedNode(g)))
    sub.extend(quads)
    # 4. The rules on the subgraph; keep the results about the focus nodes.
    hits = [
        h
        for h in _run_rules(sub, RULES)
        if isinstance(h.focus, ox.BlankNode) or h.focus.value in focus
    ]
    new = [r for r in _report(sub, hits, messages, paths) if _anchor_text(r.focus_node) in focus]
    dirty_files = {str(paths[g]) for g in dirty if g in paths} | {
        index.files[g]["path"] for g in removed
    }
    kept = [
        r
        for r in index.results
        if _anchor_text(r.focus_node) not in focus and not set(r.files) & dirty_files
    ]
    results = sorted(
        kept + new, key=lambda r: (r.severity != "Violation", r.files, r.focus_node, r.shape or "")
    )
    # 5. Update the index for the next run.
    old_triples = sum(index.files[g].get("triples", 0) for g in dirty if g in index.files)
    for g in dirty:
        index.subjects.pop(g, None)
        index.types.pop(g, None)
        index.files.pop(g, None)
    for refs in index.refs.values():
        refs -= dirty
    index.subjects.update(new_subjects)
    index.types.update(new_types)
    for o, gs in raw_refs.items():
        if not o.startswith(VOCAB):
            index.refs.setdefault(o, set()).update(gs)
    index.same_as = [t for t in index.same_as if t[2] not in dirty] + new_same
    for f in todo:
        n = counts.get(f.graph.value, 0)
        index.files[f.graph.value] = {"path": str(f.path), "stat": _stat(f.path), "triples": n}
    index.triples = index.triples - old_triples + fresh_triples
    index.results = results
    _write_index(cache_path, index)
    return ValidationReport(results=results, triples=index.triples)


def _anchor_text(focus_node: str) -> str:
    m = re.match(r"_:\S+ \(in (.*)\)$", focus_node)
    return m.group(1) if m else focus_node
