"""``import_file``: read one file, reconcile, validate, diff against the earlier import, write.

Output in the import folder ``DIR``:

- ``DIR/<file name>.ttl``: the import's graph (the loader puts each Turtle file in a named graph
  of its own, so one import is one named graph, as ``ontology-notes.md`` asks);
- ``DIR/sources/<file name>``: a copy of the imported file, which ``kg check-quotes`` reads to
  check every record at its locator (and its SHA-256);
- ``DIR/<file name>.review.csv``: candidate matches awaiting a decision (only when there are).

Nothing is half written: the Turtle is written to a temporary file beside its destination,
validated with the shapes together with the graph it joins, compared with the earlier import,
and renamed into place only then. A bad record stops the import with one located line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.exceptions import ImportInputError, ImportRefusedError, InvalidParameterError
from kg.importers.common import Builder, SourceInfo
from kg.importers.diff import ImportDiff, diff_turtle
from kg.importers.reconciling import (
    Reconciler,
    decided_rows,
    open_index,
    read_decisions,
    review_csv,
)
from kg.importers.turtle import block, header, iri, lit, mint, typed
from kg.namespaces import VOCAB
from kg.settings import Settings, get_settings
from kg.validate.quotes import file_sha256

__all__ = ["FORMATS", "ImportResult", "import_file", "lookup_records"]

#: The formats ``kg import`` reads.
FORMATS = ("360giving", "iati", "sheet")


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run`` or a refused diff, would do)."""

    turtle: Path
    written: bool
    records: int
    counts: dict[str, int]
    diff: ImportDiff | None
    review: Path | None
    candidates: int = 0
    warnings: list[str] = field(default_factory=list)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "import"


def _tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("integration-kg")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0.0.0"


def _reader(fmt: str) -> Callable[[Path, Builder], dict[str, Any]]:
    if fmt == "360giving":
        from kg.importers.giving360 import import_360giving

        return import_360giving
    if fmt == "iati":
        from kg.importers.iati import import_iati

        return import_iati
    from kg.importers.sheet import import_sheet

    return import_sheet


def lookup_records(fmt: str, path: Path, locators: set[str]) -> dict[str, str]:
    """Render the records of ``path`` at ``locators`` as their quotes (for check-quotes).

    Parameters
    ----------
    fmt : str
        ``360giving``, ``iati`` or ``sheet``.
    path : Path
        The imported file (its copy in ``DIR/sources/``).
    locators : set of str
        The records wanted.

    Returns
    -------
    dict
        Locator -> the quote its record renders to today (missing: no such record).
    """
    if fmt == "360giving":
        from kg.importers.giving360 import lookup
    elif fmt == "iati":
        from kg.importers.iati import lookup  # type: ignore[assignment]
    else:
        from kg.importers.sheet import lookup  # type: ignore[assignment]
    return lookup(path, locators)


def _graph_files(s: Settings, exclude: Path) -> list[Any]:
    """List the files of the graph the import joins.

    The shipped data, the data folders, and the import folder's other imports (never the
    earlier version of this import).
    """
    import pyoxigraph as ox

    from kg.loader.files import SourceFile, discover

    files = [f for f in discover(s) if f.path.resolve() != exclude.resolve()]
    seen = {f.path.resolve() for f in files}
    folder = exclude.parent
    if folder.is_dir():
        for p in sorted(folder.glob("*.ttl")):
            if p.resolve() not in seen and p.resolve() != exclude.resolve():
                files.append(SourceFile(p, ox.NamedNode(p.resolve().as_uri())))
    return files


def _concepts(store: Any) -> dict[str, frozenset[str]]:
    """Local names of the concepts of each code list of the graph, by scheme name."""
    rows = store.query(
        "SELECT ?c ?s WHERE { ?c <http://www.w3.org/2004/02/skos/core#inScheme> ?s }",
        use_default_graph_as_union=True,
    )
    out: dict[str, set[str]] = {}
    for r in rows:
        scheme, concept = r["s"].value, r["c"].value
        if scheme.startswith(VOCAB) and concept.startswith(scheme + "/"):
            out.setdefault(scheme[len(VOCAB) :], set()).add(concept[len(scheme) + 1 :])
    return {k: frozenset(v) for k, v in out.items()}


def _readable(path: Path) -> None:
    """Give a temporary file (mode 0600) the mode a new file gets under the umask."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def _write_atomic(dest: Path, data: bytes | None = None, src: Path | None = None) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    os.close(fd)
    try:
        if src is not None and src.is_dir():
            os.unlink(tmp)
            shutil.copytree(src, tmp)
            if dest.exists():
                shutil.rmtree(dest)
        elif src is not None:
            shutil.copyfile(src, tmp)
        else:
            Path(tmp).write_bytes(data or b"")
        if not os.path.isdir(tmp):
            _readable(Path(tmp))
        os.replace(tmp, dest)
    finally:
        if os.path.lexists(tmp):
            shutil.rmtree(tmp, ignore_errors=True) if os.path.isdir(tmp) else os.unlink(tmp)


def import_file(
    fmt: str,
    source: Path,
    out_dir: Path,
    *,
    settings: Settings | None = None,
    review: Path | None = None,
    dry_run: bool = False,
    confirm: Callable[[ImportDiff], bool] | None = None,
    validate: bool = True,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Import ``source`` (format ``fmt``) into the folder ``out_dir``.

    Parameters
    ----------
    fmt : str
        One of :data:`FORMATS`.
    source : Path
        The file (a workbook, JSON package, XML file) or, for ``sheet`` and ``360giving``, CSV.
        A folder of CSV files for ``sheet``.
    out_dir : Path
        The import folder (created when missing); add it to the graph with ``data_dirs``.
    settings : Settings, optional
        The graph the import joins (reconciliation and validation run against it).
    review : Path, optional
        A review file with decisions (``same`` / ``different``) to apply.
    dry_run : bool
        Do everything but write.
    confirm : callable, optional
        Called with the diff when an earlier import of the same file is in ``out_dir`` and
        something changed; the import is written only if it returns True. ``None``: write.
    validate : bool
        Check the shapes on the graph with the import (refuse on a violation).
    now : datetime, optional
        The import's timestamp (default: the current time, to the second, UTC).

    Returns
    -------
    ImportResult
        Counts, the diff against the earlier import, whether it was written.

    Raises
    ------
    ImportInputError
        The file or one of its records is invalid (the message names file and record).
    ImportRefusedError
        The graph with the import violates the shapes (the message lists the violations).
    """
    if fmt not in FORMATS:
        raise InvalidParameterError("fmt", f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    source = Path(source)
    if not source.exists():
        raise ImportInputError(f"{source}: no such file")
    if source.is_dir() and fmt != "sheet":
        raise ImportInputError(f"{source}: a folder (only the sheet format reads a CSV folder)")
    s = settings or get_settings()
    out_dir = Path(out_dir)
    name = _slug(source.name)
    turtle = out_dir / f"{name}.ttl"
    review_out = out_dir / f"{name}.review.csv"
    decisions: dict[tuple[str, str], str] = {}
    kept: list[dict[str, str]] = []
    for f in (review_out, Path(review) if review is not None else None):
        if f is not None and f.is_file():
            decisions |= read_decisions(f)
            kept += decided_rows(f)
    if review is not None and not Path(review).is_file():
        raise ImportInputError(f"{review}: no such review file")

    from kg.loader.load import load_store
    from kg.sparql.backend import LocalBackend

    files = _graph_files(s, turtle)
    store = load_store(s, files=files)
    reconciler = Reconciler(open_index(LocalBackend(store)), decisions)
    src_iri = mint("src", "import-" + name)
    info = SourceInfo(source, fmt, file_sha256(source), src_iri, source.name)
    when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)

    tmp_dir = out_dir if out_dir.is_dir() else out_dir.resolve().parent
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".ttl.tmp", dir=tmp_dir)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(
                f"# kg import {fmt} {source.name}: generated, do not edit (re-run the import).\n"
            )
            out.write(header() + "\n")
            concepts = _concepts(store)
            b = Builder(out, info, reconciler, concepts.get("country", frozenset()))
            b.concepts = concepts
            meta = _reader(fmt)(source, b)
            b.finish()
            out.write(_document(info, meta))
            out.write(_activity(name, info, b, when, review is not None))
        result = ImportResult(turtle, False, b.records, dict(sorted(b.counts.items())), None, None)
        rows = reconciler.annotate(b.candidate_rows) + kept[::-1]
        result.candidates = len(b.candidate_rows)
        if validate:
            _validate(s, files, tmp, turtle)
        if turtle.is_file():
            result.diff = diff_turtle(turtle.read_bytes(), tmp.read_bytes())
            if result.diff.empty:
                result.warnings.append("no change since the earlier import of this file")
            elif confirm is not None and not dry_run and not confirm(result.diff):
                return result
        if dry_run:
            return result
        out_dir.mkdir(parents=True, exist_ok=True)
        _write_atomic(out_dir / "sources" / source.name, src=source)
        _readable(tmp)
        os.replace(tmp, turtle)
        if rows or review_out.is_file():
            _write_atomic(review_out, review_csv(rows, decisions).encode("utf-8"))
            result.review = review_out
        result.written = True
        return result
    finally:
        if tmp.exists():
            tmp.unlink()


def _validate(s: Settings, files: list[Any], tmp: Path, final: Path) -> None:
    from kg.validate.engine import fast_validate

    onto = s.ontology_dir.resolve()
    data = [f.path for f in files if onto not in f.path.resolve().parents]
    report = fast_validate(s, data_files=[*data, tmp], cache=False)
    bad = [r for r in report.results if r.severity.endswith("Violation")]
    if bad:
        # name the file the import would have written, not its temporary twin
        shown = "; ".join(str(r).replace(str(tmp), str(final)) for r in bad[:10])
        more = f" (and {len(bad) - 10} more)" if len(bad) > 10 else ""
        raise ImportRefusedError(
            f"the import would break {len(bad)} shape constraint(s), nothing written: {shown}{more}"
        )


def _document(info: SourceInfo, meta: dict[str, Any]) -> str:
    pairs = [
        ("a", "mi:ImportedFile, mi:SourceDocument"),
        ("dcterms:title", lit(str(meta.get("title") or info.title))),
        ("mi:fileName", lit(info.path.name)),
        ("mi:sha256", lit(info.sha256)),
        ("mi:importFormat", lit(info.fmt)),
    ]
    publisher = meta.get("publisher")
    if isinstance(publisher, dict) and publisher.get("name"):
        publisher = publisher["name"]
    if publisher:
        pairs.append(("dcterms:publisher", lit(str(publisher))))
    licence = meta.get("license") or meta.get("licence")
    if licence:
        text = str(licence)
        pairs.append(
            ("dcterms:license", f"<{text}>" if re.match(r"^https?://\S+$", text) else lit(text))
        )
    return block(iri(info.iri), pairs)


def _activity(name: str, info: SourceInfo, b: Builder, when: dt.datetime, review: bool) -> str:
    options = {"format": info.fmt, "review": review}
    pairs = [
        ("a", "prov:Activity"),
        ("rdfs:label", lit(f"kg import {info.fmt} {info.path.name}")),
        ("prov:used", iri(info.iri)),
        ("mi:toolVersion", lit(_tool_version())),
        ("mi:importOptions", lit(json.dumps(options, sort_keys=True))),
        ("mi:recordCount", typed(b.records, "integer")),
        ("mi:importCounts", lit(json.dumps(dict(sorted(b.counts.items())), sort_keys=True))),
        ("prov:endedAtTime", typed(when.isoformat().replace("+00:00", "Z"), "dateTime")),
    ]
    return block(iri(mint("import", name)), pairs)
