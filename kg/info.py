"""Counts that summarise the graph: nodes by class, organisations by kind and by country."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.store import get_backend

_PREFIXES = """
PREFIX mi: <https://w3id.org/integration-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
"""

_CLASSES = (
    _PREFIXES
    + """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?class { org:Organization mi:AnonymousOrganisation mi:FundingProgramme mi:FundingAward
                  org:Membership mi:Partnership mi:Referral mi:PlacementHosting mi:RevenueSharing
                  schema:Project schema:Event mi:Service mi:PositionAssessment mi:ActorGroup
                  mi:AggregateFigure mi:SourceDocument }
  ?s a ?t . ?t rdfs:subClassOf* ?class .
} GROUP BY ?class ORDER BY ?class
"""
)

_BY_KIND_COUNTRY = (
    _PREFIXES
    + """
SELECT ?country ?kind (COUNT(DISTINCT ?o) AS ?n) WHERE {
  ?o a ?t . ?t rdfs:subClassOf* org:Organization .
  ?o org:classification ?k . BIND(STRAFTER(STR(?k), "/vocab/kind/") AS ?kind)
  OPTIONAL { ?o mi:country ?c . ?c skos:notation ?country }
} GROUP BY ?country ?kind ORDER BY ?country ?kind
"""
)


@dataclass
class GraphInfo:
    """Counts by class, by kind, by country and by (country, kind)."""

    classes: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    by_country_kind: dict[tuple[str, str], int] = field(default_factory=dict)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def graph_info() -> GraphInfo:
    """Count the graph's nodes by class, and organisations by kind, country and both.

    An organisation with two kinds counts once under each kind; ``by_country`` counts distinct
    organisations (one with no country counts under ``"-"``).
    """
    backend = get_backend()
    info = GraphInfo()
    q = _CLASSES.replace(
        "PREFIX mi:", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX mi:"
    )
    for row in backend.select(q).rows:
        info.classes[_local(row["class"].value)] = int(row["n"].value)
    q = _BY_KIND_COUNTRY.replace(
        "PREFIX mi:", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX mi:"
    )
    for row in backend.select(q).rows:
        c = row["country"].value if row.get("country") is not None else "-"
        k = row["kind"].value
        n = int(row["n"].value)
        info.by_country_kind[(c, k)] = n
        info.by_kind[k] = info.by_kind.get(k, 0) + n
    per_country = (
        _PREFIXES
        + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?country (COUNT(DISTINCT ?o) AS ?n) WHERE {
  ?o a ?t . ?t rdfs:subClassOf* org:Organization .
  OPTIONAL { ?o mi:country ?c . ?c skos:notation ?country }
} GROUP BY ?country ORDER BY ?country"""
    )
    for row in backend.select(per_country).rows:
        c = row["country"].value if row.get("country") is not None else "-"
        info.by_country[c] = int(row["n"].value)
    return info
