"""The source documents as the source viewer shows them: lines, and where each quote lies.

Conventions
-----------
- A document is named by the short name of its IRI (``sirius-wp4`` for ``src:sirius-wp4``),
  its CURIE, its full IRI or its file name (``mi:fileName``, a file of the seeds folder,
  ``KG_SEEDS_DIR``). Anything else is an :class:`~kg.exceptions.UnknownEntityError` naming the
  known documents.
- Lines are numbered from 1 as in the file, which is what ``mi:line`` counts.
- Each quote of the ``source-quotes`` named query is located in the text as
  ``kg check-quotes`` does (line breaks and the spaces around them count as one space): the
  occurrence nearest its recorded line, giving the first and last line of the passage. A quote
  not found keeps its recorded line (start = end) and ``found: false``.
- Written by hand: locating a passage in a text is a few lines of ``str.find``; no library does
  this line bookkeeping for us.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.entities.profile import entity_ref, source_files
from kg.exceptions import UnknownEntityError
from kg.settings import Settings, get_settings
from kg.sparql.backend import Backend
from kg.sparql.named import rows_as_dicts, run_named

__all__ = ["DocumentText", "source_document"]


@dataclass
class DocumentText:
    r"""A text with whitespace runs collapsed to one space, and a map back to its lines.

    Examples
    --------
    >>> doc = DocumentText.of("one two\n  three\nfour")
    >>> doc.span("two three", near=1)
    (1, 2)
    >>> doc.span("four", near=3)
    (3, 3)
    >>> doc.span("five", near=1) is None
    True
    """

    text: str
    #: Line (from 1) of each character of ``text``.
    lines: list[int]

    @classmethod
    def of(cls, raw: str) -> DocumentText:
        """Collapse ``raw``'s whitespace, keeping the line of each character."""
        parts: list[str] = []
        lines: list[int] = []
        line, pending = 1, False
        for ch in raw:
            if ch.isspace():
                if ch == "\n":
                    line += 1
                pending = True
                continue
            if pending and parts:
                parts.append(" ")
                lines.append(line)
            pending = False
            parts.append(ch)
            lines.append(line)
        return cls("".join(parts), lines)

    def find_lines(self, exact: str) -> list[int]:
        """Return the line each occurrence of ``exact`` begins on, in order."""
        out: list[int] = []
        start = self.text.find(exact)
        while start >= 0:
            out.append(self.lines[start])
            start = self.text.find(exact, start + 1)
        return out

    def span(self, exact: str, near: int | None = None) -> tuple[int, int] | None:
        """Return the first and last line of the occurrence of ``exact`` nearest line ``near``."""
        if not exact:
            return None
        found: list[int] = []
        at = self.text.find(exact)
        while at >= 0:
            found.append(at)
            at = self.text.find(exact, at + 1)
        if not found:
            return None
        best = found[0] if near is None else min(found, key=lambda i: abs(self.lines[i] - near))
        return self.lines[best], self.lines[best + len(exact) - 1]


def _find(doc: str, sources: dict[str, dict[str, Any]]) -> tuple[str, str, str | None]:
    """Return ``(iri, title, file)`` of the document ``doc`` names."""
    wanted = doc.strip()
    for title, s in sources.items():
        iri, file = s["iri"], s.get("file")
        ref = entity_ref(iri)
        names = {iri, ref, ref.removeprefix("src:")}
        if file:
            names |= {file, Path(file).stem}
        if wanted in names:
            return iri, title, file
    known = ", ".join(sorted(entity_ref(s["iri"]).removeprefix("src:") for s in sources.values()))
    raise UnknownEntityError(f"no source document {doc!r} (known: {known})")


def _lines(raw: str) -> list[str]:
    """Return the lines as ``mi:line`` counts them: split at line feeds only, not form feeds."""
    lines = [line.removesuffix("\r") for line in raw.split("\n")]
    return lines[:-1] if lines and lines[-1] == "" else lines


def source_document(
    doc: str, *, backend: Backend, settings: Settings | None = None
) -> dict[str, Any]:
    """Return one source document's lines and the passages the graph quotes from it.

    Parameters
    ----------
    doc : str
        Short name (``sirius-wp4``), CURIE, IRI or file name of the document.
    backend : Backend
        Where the graph is.
    settings : Settings, optional
        Where the documents are (``seeds_dir``).

    Returns
    -------
    dict
        ``ref``, ``iri``, ``title``, ``file``, ``lines`` (the text of each line) and
        ``quotes``: one per distinct passage and line, ``quote``, ``line`` (as recorded),
        ``start`` and ``end`` (the lines the passage spans), ``found`` and ``nodes`` (what it
        supports).

    Raises
    ------
    UnknownEntityError
        No document has that name, it has no file, or its file is not in the seeds folder.
    """
    s = settings or get_settings()
    iri, title, file = _find(doc, source_files(backend=backend))
    ref = entity_ref(iri).removeprefix("src:")
    if not file:
        raise UnknownEntityError(f"source document {ref!r} has no file (mi:fileName)")
    path = Path(s.seeds_dir) / file
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise UnknownEntityError(
            f"the file of source document {ref!r} ({file}) is not in {s.seeds_dir} "
            "(set KG_SEEDS_DIR)"
        ) from None
    text = DocumentText.of(raw)
    passages: dict[tuple[str, int | None], dict[str, Any]] = {}
    for r in rows_as_dicts(run_named("source-quotes", {"source": iri}, backend=backend)):
        key = (r["quote"], r.get("line"))
        if key not in passages:
            span = text.span(r["quote"], near=r.get("line"))
            line = r.get("line") or (span[0] if span else None)
            passages[key] = {
                "quote": r["quote"],
                "line": line,
                "start": span[0] if span else line,
                "end": span[1] if span else line,
                "found": span is not None,
                "nodes": [],
            }
        passages[key]["nodes"].append(r["node"])
    return {
        "ref": ref,
        "iri": iri,
        "title": title,
        "file": file,
        "lines": _lines(raw),
        "quotes": sorted(passages.values(), key=lambda p: (p["start"] or 0, p["quote"])),
    }
