"""Names people can type: parameter values given as names, acronyms or codes, resolved to nodes.

Wherever a parameter takes an organisation, a programme, a code-list concept or a country, its
value may be the node's IRI, a CURIE (``actor:lu-asti``), its slug (``lu-asti``), or one of its
labels or acronyms (``asti``, ``Caritas Luxembourg``), and a country its code or name in any
case (``gr``, ``Greece``). Names are compared case- and accent-insensitively, with runs of
spaces and punctuation counted as one space. One match is the answer; several are an
:class:`~kg.exceptions.AmbiguousError` listing them; none a
:class:`~kg.exceptions.NotFoundError` with the closest names ("did you mean ASTI?"). Never an
empty success.

Examples
--------
>>> normalise("  Association de Soutien aux Travailleurs Immigrés ")
'association de soutien aux travailleurs immigres'
>>> normalise("ASTI a.s.b.l.")
'asti a s b l'
"""

from __future__ import annotations

import contextlib
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from kg.exceptions import AmbiguousError, NotFoundError
from kg.namespaces import PREFIXES
from kg.sparql.backend import Backend
from kg.sparql.named import NamedQuery, Param, Resolver, rows_as_dicts, run_named

__all__ = ["NameIndex", "country_codes", "name_index", "normalise", "resolve_values", "resolver"]

#: Parameters holding a country code (string parameters, named so in the query headers).
COUNTRY_PARAMS = frozenset({"country_code", "country"})

# What a parameter's ``prefix`` holds, for messages ("no organisation matches ...").
_WHAT = {
    "actor": "organisation",
    "fund": "programme",
    "project": "project",
    "kind": "kind of organisation",
    "measure": "measure",
    "country": "country",
}

_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)
# Letters that Unicode does not decompose into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


def normalise(text: str) -> str:
    """Fold case and accents and collapse spaces and punctuation, for comparing names."""
    if text.isascii():  # no accents or ligatures to fold: the same answer, five times faster
        return _SEPARATORS.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", bare.casefold().translate(_LIGATURES)).strip()


@dataclass
class NameIndex:
    """Every label of every named node, by normalised name.

    Attributes
    ----------
    by_name : dict
        Normalised name → IRIs of the nodes that carry it.
    labels : dict
        IRI → its labels as written (preferred first where known).
    countries : dict
        IRI → the country code stated for it, where one is.
    """

    by_name: dict[str, set[str]]
    labels: dict[str, list[str]]
    countries: dict[str, str]

    def describe(self, iri: str) -> str:
        """Describe a node as a person recognises it: ``label (slug, country)``."""
        from kg.entities.profile import entity_ref

        label = self.labels.get(iri, [iri])[0]
        extra = ", ".join(x for x in (entity_ref(iri), self.countries.get(iri)) if x)
        return f"{label} ({extra})"


_INDEXES: WeakKeyDictionary[Any, NameIndex] = WeakKeyDictionary()


def name_index(backend: Backend) -> NameIndex:
    """Build (once per backend) the index of names (named query ``entities/names``)."""
    try:
        return _INDEXES[backend]
    except (KeyError, TypeError):
        pass
    by_name: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, list[str]] = defaultdict(list)
    countries: dict[str, str] = {}
    for row in rows_as_dicts(run_named("entities/names", backend=backend)):
        node, label = row["node"], str(row["label"])
        by_name[normalise(label)].add(node)
        if label not in labels[node]:
            labels[node].append(label)
        if row.get("country"):
            countries[node] = str(row["country"])
    index = NameIndex(dict(by_name), dict(labels), countries)
    with contextlib.suppress(TypeError):  # a backend without weak references: no cache
        _INDEXES[backend] = index
    return index


def _looks_like_iri(value: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", value)) or value.startswith("urn:")


def _resolve_node(param: Param, value: str, index: NameIndex) -> str:
    namespace = PREFIXES.get(param.prefix or "", "")
    raw = value.strip()
    if _looks_like_iri(raw):
        return raw
    if ":" in raw and raw.split(":", 1)[0] in PREFIXES:
        return raw  # a CURIE, expanded when bound
    if namespace and namespace + raw in index.labels:
        return namespace + raw  # an exact slug
    key = normalise(raw)
    found = sorted(
        iri for iri in index.by_name.get(key, ()) if not namespace or iri.startswith(namespace)
    )
    if not found and namespace:  # a slug typed in another case
        lowered = namespace + raw.lower()
        found = [lowered] if lowered in index.labels else []
    if not found:  # "Caritas Luxembourg", "Caritas (LU)": a name, then its country
        found = _with_country(key, index, namespace)
    what = _WHAT.get(param.prefix or "", "node")
    if len(found) == 1:
        return found[0]
    if found:
        names = "; ".join(index.describe(i) for i in found[:10])
        raise AmbiguousError(
            f"parameter {param.name!r}: {raw!r} names {len(found)} {what}s: {names}",
            candidates=found,
        )
    pool = {
        name: iris
        for name, iris in index.by_name.items()
        if not namespace or any(i.startswith(namespace) for i in iris)
    }
    close = difflib.get_close_matches(key, list(pool), n=3, cutoff=0.75)
    return _not_found(param, what, raw, [_written(index, pool[c], c) for c in close])


def country_codes(index: NameIndex) -> dict[str, str]:
    """Normalised country names and codes → code."""
    namespace = PREFIXES["country"]
    out: dict[str, str] = {}
    for iri, labels in index.labels.items():
        if iri.startswith(namespace):
            code = iri.removeprefix(namespace)
            out[normalise(code)] = code
            out.update((normalise(lab), code) for lab in labels)
    return out


def _with_country(key: str, index: NameIndex, namespace: str) -> list[str]:
    """Resolve ``name country`` by splitting off a trailing country name or code."""
    words = key.split()
    codes = country_codes(index)
    for cut in range(len(words) - 1, 0, -1):
        code = codes.get(" ".join(words[cut:]))
        if code is None:
            continue
        name = " ".join(words[:cut])
        found = sorted(
            iri
            for iri in index.by_name.get(name, ())
            if index.countries.get(iri) == code and (not namespace or iri.startswith(namespace))
        )
        if found:
            return found
    return []


def _written(index: NameIndex, iris: set[str], name: str) -> str:
    """Return the label as written whose normalised form is ``name``."""
    labels = index.labels[sorted(iris)[0]]
    return next((lab for lab in labels if normalise(lab) == name), labels[0])


def _not_found(param: Param, what: str, raw: str, close: list[str]) -> str:
    hint = "; did you mean " + " or ".join(dict.fromkeys(close)) + "?" if close else ""
    raise NotFoundError(f"parameter {param.name!r}: no {what} matches {raw!r}{hint}")


def _resolve_country(param: Param, value: str, index: NameIndex) -> str:
    raw = value.strip()
    namespace = PREFIXES["country"]
    concepts = {iri for iri in index.labels if iri.startswith(namespace)}
    code = raw.upper()
    if namespace + code in concepts:
        return code
    matches = sorted(i for i in index.by_name.get(normalise(raw), ()) if i in concepts)
    if len(matches) == 1:
        return matches[0].removeprefix(namespace)
    names = {normalise(lab): {i} for i in concepts for lab in index.labels[i]}
    close = difflib.get_close_matches(normalise(raw), list(names), n=3, cutoff=0.75)
    return _not_found(param, "country", raw, [_written(index, names[c], c) for c in close])


def resolve_values(
    query: NamedQuery, values: Mapping[str, Any], backend: Backend
) -> dict[str, Any]:
    """Replace names in ``values`` by what ``query``'s parameters take (IRIs, country codes).

    Parameters
    ----------
    query : NamedQuery
        The query whose parameters the values are for.
    values : mapping
        Values as a person typed them; unknown parameter names are left for the binding to
        report.
    backend : Backend
        Where the names are looked up.

    Returns
    -------
    dict
        The values, with organisation, programme, concept and country names resolved.

    Raises
    ------
    AmbiguousError
        A name matches several nodes (the message lists them).
    NotFoundError
        A name matches nothing (the message suggests the closest names).
    """
    params = {p.name: p for p in query.params}
    out = dict(values)
    index: NameIndex | None = None
    for name, value in values.items():
        param = params.get(name)
        if param is None or value is None or str(value).strip() == "":
            continue
        if param.type == "iri" or (param.type == "string" and name in COUNTRY_PARAMS):
            index = index or name_index(backend)
            if param.type == "iri":
                out[name] = _resolve_node(param, str(value), index)
            else:
                out[name] = _resolve_country(param, str(value), index)
    return out


def resolver(backend: Backend) -> Resolver:
    """Return :func:`resolve_values` bound to ``backend``, for ``run_named(resolve=...)``."""

    def resolve(query: NamedQuery, values: Mapping[str, Any]) -> dict[str, Any]:
        return resolve_values(query, values, backend)

    return resolve
