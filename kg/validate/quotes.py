"""Check that every quote in the graph appears verbatim in the source document it cites.

A quote is an ``oa:SpecificResource`` with ``oa:hasSource`` (a ``mi:SourceDocument`` whose
``mi:fileName`` is a file of the seeds folder) and an ``oa:TextQuoteSelector`` whose
``oa:exact`` is the passage. Line breaks in the document (and the spaces around them) count as
one space, as the curation rules say; nothing else is normalised, so a changed word, a
missing hyphen or a fixed typo is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.settings import Settings, get_settings

__all__ = ["QuoteProblem", "check_quotes"]

_QUOTES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX mi: <https://w3id.org/integration-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?node ?source ?file ?exact ?line WHERE {
  ?node prov:wasDerivedFrom ?q .
  ?q oa:hasSource ?source ; oa:hasSelector ?sel .
  ?sel oa:exact ?exact .
  OPTIONAL { ?source mi:fileName ?file }
  OPTIONAL { ?q mi:line ?line }
}
"""

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class QuoteProblem:
    """One quote that could not be found where it says it is."""

    node: str
    source: str
    exact: str
    message: str

    def __str__(self) -> str:
        short = self.exact if len(self.exact) < 90 else self.exact[:87] + "..."
        return f'{self.node}: {self.message}: "{short}"'


class _Doc:
    """A source text with whitespace collapsed and a map back to line numbers."""

    def __init__(self, text: str) -> None:
        parts: list[str] = []
        lines: list[int] = []
        line = 1
        pending_space = False
        for ch in text:
            if ch.isspace():
                if ch == "\n":
                    line += 1
                pending_space = True
                continue
            if pending_space and parts:
                parts.append(" ")
                lines.append(line)
            pending_space = False
            parts.append(ch)
            lines.append(line)
        self.text = "".join(parts)
        self.lines = lines

    def find_lines(self, exact: str) -> list[int]:
        out: list[int] = []
        start = self.text.find(exact)
        while start >= 0:
            out.append(self.lines[start])
            start = self.text.find(exact, start + 1)
        return out


def check_quotes(
    store: ox.Store, settings: Settings | None = None, *, line_tolerance: int = 2
) -> tuple[int, list[QuoteProblem]]:
    """Return the number of quotes checked and the problems found.

    A problem is: a quote whose source has no ``mi:fileName``; a missing seed file; a passage
    not found verbatim; a passage with surrounding or doubled whitespace; or an ``mi:line``
    more than ``line_tolerance`` lines away from every occurrence of the passage.
    """
    s = settings or get_settings()
    docs: dict[str, _Doc | None] = {}
    problems: list[QuoteProblem] = []
    n = 0
    for row in store.query(_QUOTES, use_default_graph_as_union=True):
        n += 1
        node, source = row["node"], row["source"]
        exact: str = row["exact"].value
        node_s = node.value if isinstance(node, ox.NamedNode) else f"(blank node {node.value})"

        def bad(
            msg: str, node_s: str = node_s, src: str = source.value, exact: str = exact
        ) -> None:
            problems.append(QuoteProblem(node_s, src, exact, msg))

        if row["file"] is None:
            bad(f"source {source.value} has no mi:fileName")
            continue
        fname = row["file"].value
        if fname not in docs:
            p = Path(s.seeds_dir) / fname
            docs[fname] = _Doc(p.read_text(encoding="utf-8")) if p.is_file() else None
        doc = docs[fname]
        if doc is None:
            bad(f"source file {Path(s.seeds_dir) / fname} not found (set KG_SEEDS_DIR)")
            continue
        if exact != exact.strip() or _WS.sub(" ", exact) != exact:
            bad("quote has leading, trailing, doubled or non-space whitespace")
            continue
        found = doc.find_lines(exact)
        if not found:
            bad(f"not found verbatim in {fname}")
            continue
        if row["line"] is not None:
            want = int(row["line"].value)
            if all(abs(want - f) > line_tolerance for f in found):
                bad(f"mi:line {want} but the passage begins at line {found[0]} of {fname}")
    return n, problems
