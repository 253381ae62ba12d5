"""Which files make the graph, in which order, and the named graph each one is loaded into."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.exceptions import LoadError
from kg.namespaces import GRAPH_BASE
from kg.settings import Settings, get_settings

__all__ = ["SourceFile", "discover", "graph_iri_for", "regular_file"]


@dataclass(frozen=True)
class SourceFile:
    """A Turtle file and the named graph it is loaded into."""

    path: Path
    graph: ox.NamedNode


def graph_iri_for(path: Path, root: Path) -> ox.NamedNode:
    """Return the named-graph IRI of ``path`` relative to the parent of ``root``."""
    try:
        rel = path.resolve().relative_to(root.resolve().parent)
    except ValueError:
        rel = Path(path.name)
    return ox.NamedNode(GRAPH_BASE + rel.as_posix())


def discover(settings: Settings | None = None, *, data: bool = True) -> list[SourceFile]:
    """List the ontology, vocabulary and (optionally) data files in load order.

    Parameters
    ----------
    settings : Settings, optional
        Where the files are: ``ontology_dir``, ``data_dir`` and ``extra_data_dirs``.
    data : bool
        Include the data files (``False``: the ontology and code lists only).

    Returns
    -------
    list of SourceFile
        Ontology files, code lists, the shipped data, then each extra folder's files.
    """
    s = settings or get_settings()
    files: list[SourceFile] = []
    onto = sorted(p for p in s.ontology_dir.glob("*.ttl")) + sorted(
        (s.ontology_dir / "vocab").glob("*.ttl")
    )
    files += [SourceFile(p, graph_iri_for(p, s.ontology_dir)) for p in onto]
    if data:
        if not s.data_dir.is_dir():
            raise LoadError(f"{s.data_dir}: data folder not found (set KG_DATA_DIR)")
        files += [
            SourceFile(regular_file(p), graph_iri_for(p, s.data_dir))
            for p in sorted(s.data_dir.rglob("*.ttl"))
        ]
        seen: set[str] = set()
        for i, extra in enumerate(s.extra_data_dirs):
            if not extra.is_dir():
                raise LoadError(f"{extra}: data folder not found (data_dirs / KG_DATA_DIRS)")
            # Each extra folder gets its own graph namespace, so that its files never share a
            # graph IRI with the shipped ones or with another folder of the same name.
            label = extra.name if extra.name not in seen else f"{extra.name}-{i}"
            seen.add(label)
            for p in sorted(extra.rglob("*.ttl")):
                rel = p.resolve().relative_to(extra.resolve()).as_posix()
                files.append(SourceFile(p, ox.NamedNode(f"{GRAPH_BASE}extra/{label}/{rel}")))
    return files


def regular_file(path: Path) -> Path:
    """Return ``path`` if it is a regular file (or a link to one), else raise :class:`LoadError`.

    A folder named ``x.ttl``, a FIFO (reading it would wait forever), a socket, a device, a
    dangling link or a loop of links in the data folder is refused with one line naming it.
    """
    try:
        mode = path.stat().st_mode
    except OSError as exc:  # ELOOP, ENOENT (dangling link), EACCES
        raise LoadError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise LoadError(f"{path}: is a folder, not a Turtle file (rename it)")
    if not stat.S_ISREG(mode):
        raise LoadError(f"{path}: not a regular file (a FIFO, socket or device): not read")
    return path
