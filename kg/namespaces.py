r"""Every prefix and namespace IRI of the project, written once.

The project's own IRIs live under :data:`BASE_IRI` (``https://w3id.org/integration-kg/``):
the ontology (``mi:``), the instances (``id/<kind>/``), the code lists (``vocab/<scheme>/``),
one named graph per source file (``graph/<path>``) and the exported networks (``network#``).
:data:`PREFIXES` are the project's prefixes, :data:`STANDARD_PREFIXES` the reused vocabularies;
:data:`ALL_PREFIXES` is what queries, the CLI's ad-hoc SPARQL, the generator, the validation
engine and Turtle/JSON-LD output predeclare.

Examples
--------
>>> PREFIXES["actor"]
'https://w3id.org/integration-kg/id/org/'
>>> prefix_block(["mi"])
'PREFIX mi: <https://w3id.org/integration-kg/ontology#>\n'
>>> compact("https://w3id.org/integration-kg/id/org/lu-asti")
'actor:lu-asti'
"""

from __future__ import annotations

__all__ = [
    "ALL_PREFIXES",
    "BASE_IRI",
    "DERIVED_GRAPH_IRI",
    "GRAPH_BASE",
    "ID",
    "MI",
    "NETWORK",
    "OUTPUT_PREFIXES",
    "PREFIXES",
    "RDF",
    "RDFS",
    "SH",
    "SKOS",
    "STANDARD_PREFIXES",
    "VOCAB",
    "VOCAB_SCHEMES",
    "XSD",
    "compact",
    "prefix_block",
]

BASE_IRI = "https://w3id.org/integration-kg/"
MI = BASE_IRI + "ontology#"
ID = BASE_IRI + "id/"
VOCAB = BASE_IRI + "vocab/"
#: Each data file is loaded into its own named graph ``GRAPH_BASE + <path under data/ttl>``.
GRAPH_BASE = BASE_IRI + "graph/"
#: The graph of triples derived at load time (shortcuts, closures).
DERIVED_GRAPH_IRI = GRAPH_BASE + "derived"
#: Namespace of the exported networks' own terms (JSON-LD export).
NETWORK = BASE_IRI + "network#"

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"

#: The SKOS concept schemes of ``ontology/vocab/``, each with its prefix of the same name.
VOCAB_SCHEMES = (
    "kind",
    "position",
    "activity",
    "level",
    "target",
    "country",
    "measure",
    "unit",
    "membership-role",
    "relation-nature",
    "funding-nature",
    "funding-status",
    "quantifier",
    "scope",
    "regrant-type",
    "transaction-type",
)

PREFIXES: dict[str, str] = {
    "actor": ID + "org/",
    "fund": ID + "programme/",
    "project": ID + "project/",
    "award": ID + "award/",
    "membership": ID + "membership/",
    "rel": ID + "relation/",
    "assessment": ID + "assessment/",
    "group": ID + "group/",
    "figure": ID + "figure/",
    "src": ID + "source/",
    # one prov:Activity per imported file (kg import)
    "import": ID + "import/",
    "mi": MI,
    **{s: VOCAB + s + "/" for s in VOCAB_SCHEMES},
    "ptype": VOCAB + "programme-type/",
}
STANDARD_PREFIXES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": SKOS,
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
}
ALL_PREFIXES: dict[str, str] = {**STANDARD_PREFIXES, **PREFIXES}
#: Prefixes that abbreviate Turtle / N3 answers (the query's own PREFIXes are added to them).
OUTPUT_PREFIXES: dict[str, str] = {**STANDARD_PREFIXES, "mi": MI}

# Longest namespace first, so that ``compact`` picks the most specific prefix.
_BY_LENGTH = sorted(ALL_PREFIXES.items(), key=lambda kv: -len(kv[1]))


def prefix_block(names: list[str] | tuple[str, ...] | None = None) -> str:
    """Return ``PREFIX`` lines (SPARQL and Turtle alike) for ``names`` (default: all).

    Parameters
    ----------
    names : sequence of str, optional
        Prefixes of :data:`ALL_PREFIXES`; every one when omitted.

    Returns
    -------
    str
        One ``PREFIX p: <ns>`` line per name.
    """
    chosen = ALL_PREFIXES if names is None else names
    return "".join(f"PREFIX {n}: <{ALL_PREFIXES[n]}>\n" for n in chosen)


def compact(iri: str) -> str:
    """Abbreviate ``iri`` with the most specific known prefix, or return it unchanged.

    Parameters
    ----------
    iri : str
        A full IRI.

    Returns
    -------
    str
        ``prefix:local`` where a namespace of :data:`ALL_PREFIXES` matches, else ``iri``.
    """
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri
