"""Check that every quote in the graph appears verbatim in the source document it cites.

A quote is an ``oa:SpecificResource`` with ``oa:hasSource`` (a ``mi:SourceDocument`` whose
``mi:fileName`` is a file of the seeds folder) and an ``oa:TextQuoteSelector`` whose
``oa:exact`` is the passage. Line breaks in the document (and the spaces around them) count as
one space, as the curation rules say; nothing else is normalised, so a changed word, a
missing hyphen or a fixed typo is reported.

Imported records (``kg import``) cite an ``mi:ImportedFile``: their quote is the record's own
field values, located by ``mi:locator``. They are checked against the copy of the file in the
import folder (``<data folder>/sources/<mi:fileName>``, whose SHA-256 must be the recorded
``mi:sha256``): the record at the locator, rendered again by the format's reader (passed in as
``records``, since the readers live in a layer above), must give the quoted text.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.entities.sources import DocumentText
from kg.settings import Settings, get_settings

__all__ = ["QuoteProblem", "check_quotes", "file_sha256"]

_QUOTES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX mi: <https://w3id.org/integration-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?node ?source ?file ?exact ?line ?fmt ?sha ?locator WHERE {
  ?node prov:wasDerivedFrom ?q .
  ?q oa:hasSource ?source ; oa:hasSelector ?sel .
  ?sel oa:exact ?exact .
  OPTIONAL { ?source mi:fileName ?file }
  OPTIONAL { ?q mi:line ?line }
  OPTIONAL { ?source mi:importFormat ?fmt ; mi:sha256 ?sha }
  OPTIONAL { ?q mi:locator ?locator }
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


#: Renders the records of an imported file at some locators: (format, file, locators) ->
#: {locator: quote text} (:func:`kg.importers.lookup_records`).
RecordLookup = Callable[[str, Path, set[str]], dict[str, str]]


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, or of a folder of CSV files (names and contents, in name order)."""
    h = hashlib.sha256()
    if path.is_dir():
        for p in sorted(path.glob("*.csv")):
            h.update(p.name.encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
        return h.hexdigest()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _imported_copy(s: Settings, name: str, sha: str) -> Path | None:
    for folder in s.extra_data_dirs:
        for p in sorted(folder.rglob(name)):
            if p.parent.name == "sources" and file_sha256(p) == sha:
                return p
    return None


def _check_imported(
    s: Settings,
    rows: list[tuple[str, str, str, str, str, str, str]],
    records: RecordLookup | None,
) -> list[QuoteProblem]:
    """Check imported quotes: rows of (node, source, file, format, sha256, locator, exact)."""
    problems: list[QuoteProblem] = []
    by_source: dict[tuple[str, str, str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for node, source, file, fmt, sha, locator, exact in rows:
        by_source[(source, file, fmt, sha)].append((node, locator, exact))
    for (source, file, fmt, sha), quotes in sorted(by_source.items()):
        path = _imported_copy(s, file, sha)
        if path is None:
            for node, _loc, exact in quotes:
                problems.append(
                    QuoteProblem(
                        node,
                        source,
                        exact,
                        f"imported file {file} (SHA-256 {sha[:12]}…) not found in the sources/ "
                        "folder of any data folder (--data / KG_DATA_DIRS)",
                    )
                )
            continue
        if records is None:
            continue
        found = records(fmt, path, {loc for _n, loc, _e in quotes if loc})
        for node, loc, exact in quotes:
            if not loc:
                problems.append(
                    QuoteProblem(node, source, exact, "imported quote has no mi:locator")
                )
            elif loc not in found:
                problems.append(QuoteProblem(node, source, exact, f"no record at {loc} in {path}"))
            elif found[loc] != exact:
                problems.append(
                    QuoteProblem(
                        node, source, exact, f"the record at {loc} of {path} reads otherwise"
                    )
                )
    return problems


def check_quotes(
    store: ox.Store,
    settings: Settings | None = None,
    *,
    line_tolerance: int = 2,
    records: RecordLookup | None = None,
) -> tuple[int, list[QuoteProblem]]:
    """Return the number of quotes checked and the problems found.

    A problem is: a quote whose source has no ``mi:fileName``; a missing seed file; a passage
    not found verbatim; a passage with surrounding or doubled whitespace; or an ``mi:line``
    more than ``line_tolerance`` lines away from every occurrence of the passage. For imported
    records: the file's copy missing (or changed: another SHA-256), no record at the locator,
    or a record that no longer renders to the quote (checked when ``records`` is given).
    """
    s = settings or get_settings()
    docs: dict[str, DocumentText | None] = {}
    problems: list[QuoteProblem] = []
    imported: list[tuple[str, str, str, str, str, str, str]] = []
    n = 0
    for row in store.query(_QUOTES, use_default_graph_as_union=True):
        n += 1
        node, source = row["node"], row["source"]
        exact: str = row["exact"].value
        node_s = node.value if isinstance(node, ox.NamedNode) else f"(blank node {node.value})"
        if row["fmt"] is not None and row["file"] is not None:
            loc = row["locator"].value if row["locator"] is not None else ""
            imported.append(
                (
                    node_s,
                    source.value,
                    row["file"].value,
                    row["fmt"].value,
                    row["sha"].value,
                    loc,
                    exact,
                )
            )
            continue

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
            docs[fname] = DocumentText.of(p.read_text(encoding="utf-8")) if p.is_file() else None
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
    problems += _check_imported(s, imported, records)
    return n, problems
