r"""Deterministic Turtle for imports: terms, subject blocks and the file they are written to.

Why by hand and not rdflib's serializer: an import is streamed (a million grants never sit in
memory as triples), and its output must be byte-identical when the input is (rdflib numbers
blank nodes afresh and orders subjects by its own rules). Each subject is written as one block,
its predicates in the order the mapping states them, blank nodes inline (``[ … ]``), so the
same records in the same order always give the same bytes.

Examples
--------
>>> lit('say "hi"')
'"say \\"hi\\""'
>>> iri("https://w3id.org/integration-kg/id/org/GB-CHC-1164883")
'actor:GB-CHC-1164883'
>>> iri("https://w3id.org/integration-kg/id/award/360G-x/1")
'<https://w3id.org/integration-kg/id/award/360G-x/1>'
>>> block("actor:x", [("a", "org:Organization"), ("skos:prefLabel", lit("X"))])
'actor:x a org:Organization ;\n    skos:prefLabel "X" .\n\n'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote

from kg.namespaces import ALL_PREFIXES

__all__ = ["PREFIXES_USED", "block", "bnode", "header", "iri", "lit", "mint", "typed"]

#: The prefixes an import file declares (and may use in compact IRIs).
PREFIXES_USED = (
    "rdf",
    "rdfs",
    "xsd",
    "owl",
    "skos",
    "org",
    "schema",
    "prov",
    "oa",
    "dcterms",
    "time",
    "mi",
    "actor",
    "fund",
    "project",
    "award",
    "membership",
    "rel",
    "assessment",
    "src",
    "import",
    "kind",
    "country",
    "membership-role",
    "relation-nature",
    "position",
    "level",
    "regrant-type",
    "transaction-type",
)
_EXTRA = {
    "frapo": "http://purl.org/cerif/frapo/",
    "adms": "http://www.w3.org/ns/adms#",
}
_NS = {p: ALL_PREFIXES[p] for p in PREFIXES_USED} | _EXTRA
_BY_LENGTH = sorted(_NS.items(), key=lambda kv: -len(kv[1]))
# A local name that Turtle reads back unchanged without escapes (no trailing dot, no colon).
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t]')


def header() -> str:
    """Return the ``PREFIX`` lines every import file starts with."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _NS.items())


def mint(namespace: str, local: str) -> str:
    """Return the IRI ``namespace`` + ``local``, percent-encoding what an IRI may not hold."""
    return ALL_PREFIXES[namespace] + quote(local, safe="-._~!$&'()*+,;=:@/")


@lru_cache(maxsize=1 << 16)
def iri(value: str) -> str:
    """Write an IRI compactly where a known prefix and a safe local name allow, else ``<…>``."""
    for prefix, ns in _BY_LENGTH:
        if value.startswith(ns):
            local = value[len(ns) :]
            if _SAFE_LOCAL.match(local):
                return f"{prefix}:{local}"
            break
    return "<" + value.replace(">", "%3E").replace(" ", "%20") + ">"


def lit(text: str, lang: str | None = None) -> str:
    """Write a string literal (with ``@lang`` when given)."""
    body = _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], text)
    return f'"{body}"' + (f"@{lang}" if lang else "")


def typed(value: object, datatype: str) -> str:
    """Write a typed literal; ``datatype`` is a local name of XSD (``decimal``, ``date``...)."""
    if isinstance(value, Decimal | float | int) and datatype == "decimal":
        text = format(Decimal(str(value)), "f")
        if "." not in text:
            text += ".0"
        return text
    if datatype == "integer":
        return str(int(value))  # type: ignore[call-overload]
    return f"{lit(str(value))}^^xsd:{datatype}"


def bnode(pairs: Sequence[tuple[str, str]]) -> str:
    """Write an inline blank node ``[ p o ; … ]``."""
    return "[ " + " ; ".join(f"{p} {o}" for p, o in pairs) + " ]"


def block(subject: str, pairs: Iterable[tuple[str, str]]) -> str:
    """Write one subject with its predicate-object pairs, one pair per line, ending in ``.``."""
    lines = [f"{p} {o}" for p, o in pairs]
    return subject + " " + " ;\n    ".join(lines) + " .\n\n"
