"""The ASCII fast path of :func:`kg.entities.resolve.normalise` gives the full rule's answer.

The reference is the rule as written before the fast path (NFKD, combining marks dropped,
casefold, ligatures, separators collapsed), applied here to random printable ASCII text and to
names of the shipped graph.
"""

from __future__ import annotations

import random
import string
import unicodedata

from kg.entities import resolve
from kg.reconcile import organisations
from tests.support import shipped_backend


def full_rule(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return resolve._SEPARATORS.sub(" ", bare.casefold().translate(resolve._LIGATURES)).strip()


def test_random_ascii() -> None:
    rng = random.Random(3)
    for _ in range(20_000):
        text = "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 30)))
        assert resolve.normalise(text) == full_rule(text), repr(text)


def test_shipped_names() -> None:
    names = [n for r in organisations(shipped_backend()) for n in r.names]
    assert any(n.isascii() for n in names) and not all(n.isascii() for n in names)
    for name in names:
        assert resolve.normalise(name) == full_rule(name), name
