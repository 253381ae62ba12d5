"""What changes between an earlier import's Turtle and a new one: facts added, changed, removed.

Both files are parsed by Oxigraph and each named node is described by its triples, with the
inline blank nodes (amounts, periods, quotes) expanded into a canonical text, so that blank-node
labels never count as a change. The import's own activity (its timestamp) is left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.namespaces import ALL_PREFIXES, BASE_IRI, compact

__all__ = ["ImportDiff", "diff_turtle"]

_IMPORT_NS = ALL_PREFIXES["import"]


@dataclass
class ImportDiff:
    """Nodes added, changed (with the predicates that differ) and removed."""

    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return not (self.added or self.changed or self.removed)

    def summary(self) -> str:
        """One line: ``N added, N changed, N removed``."""
        return f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed"

    def lines(self, limit: int = 20) -> list[str]:
        """Up to ``limit`` lines per kind: ``+ node``, ``~ node (predicates)``, ``- node``."""
        out = [f"+ {compact(n)}" for n in self.added[:limit]]
        out += [
            f"~ {compact(n)} ({', '.join(compact(x) for x in p)})"
            for n, p in list(self.changed.items())[:limit]
        ]
        out += [f"- {compact(n)}" for n in self.removed[:limit]]
        for what, items in (
            ("added", self.added),
            ("changed", self.changed),
            ("removed", self.removed),
        ):
            if len(items) > limit:
                out.append(f"... and {len(items) - limit} more {what}")
        return out


def _describe(data: bytes) -> dict[str, dict[str, frozenset[str]]]:
    """Map each named subject to predicate -> set of canonical object texts."""
    by_subject: dict[ox.NamedNode | ox.BlankNode, list[tuple[str, object]]] = defaultdict(list)
    for t in ox.parse(input=data, format=ox.RdfFormat.TURTLE, base_iri=BASE_IRI):
        by_subject[t.subject].append((t.predicate.value, t.object))  # type: ignore[index]

    def canon(term: object, depth: int = 0) -> str:
        if isinstance(term, ox.BlankNode) and depth < 8:
            inner = sorted(f"{p} {canon(o, depth + 1)}" for p, o in by_subject.get(term, []))
            return "[" + "; ".join(inner) + "]"
        return str(term)

    out: dict[str, dict[str, frozenset[str]]] = {}
    for s, pos in by_subject.items():
        if not isinstance(s, ox.NamedNode) or s.value.startswith(_IMPORT_NS):
            continue
        preds: dict[str, set[str]] = defaultdict(set)
        for p, o in pos:
            preds[p].add(canon(o))
        out[s.value] = {p: frozenset(v) for p, v in preds.items()}
    return out


def diff_turtle(old: bytes, new: bytes) -> ImportDiff:
    """Compare two import files.

    Examples
    --------
    >>> a = b'<https://e.org/x> <https://e.org/p> 1 . <https://e.org/y> <https://e.org/p> 2 .'
    >>> b = b'<https://e.org/x> <https://e.org/p> 3 . <https://e.org/z> <https://e.org/p> 2 .'
    >>> d = diff_turtle(a, b)
    >>> d.summary(), d.changed
    ('1 added, 1 changed, 1 removed', {'https://e.org/x': ['https://e.org/p']})
    """
    before, after = _describe(old), _describe(new)
    d = ImportDiff()
    d.added = sorted(set(after) - set(before))
    d.removed = sorted(set(before) - set(after))
    for s in sorted(set(after) & set(before)):
        a, b = before[s], after[s]
        if a != b:
            d.changed[s] = sorted(p for p in set(a) | set(b) if a.get(p) != b.get(p))
    return d
