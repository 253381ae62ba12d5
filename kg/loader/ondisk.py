"""Persisted Oxigraph stores: a crash-safe build behind a symbolic link, and a read-only reopen.

A persisted store lives behind a symbolic link: :func:`build_store` builds a new sibling folder
and switches the link only when the build is complete, so killing a build leaves the previous
store in place.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from kg.exceptions import LoadError
from kg.settings import Settings, get_settings

__all__ = ["DB_DIR", "MANIFEST", "build_store", "open_store", "store_db_path"]

MANIFEST = "kg-store.json"
DB_DIR = "oxigraph"


def store_db_path(path: str | os.PathLike[str]) -> Path:
    """Return the Oxigraph folder of a store built by :func:`build_store` (or a plain one).

    Symbolic links are resolved, so a reader stays on the build it opened even if a later
    build switches the link.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise LoadError(f"{p}: no store there (build one with kg.loader.ondisk.build_store)")
    p = p.resolve()
    if (p / MANIFEST).is_file():
        return p / DB_DIR
    return p  # a folder made by Oxigraph itself (e.g. `oxigraph load --location`)


def open_store(path: str | os.PathLike[str]) -> ox.Store:
    """Open a persisted store read-only, without parsing any file.

    Raises
    ------
    LoadError
        No store at ``path``, or the folder is not an Oxigraph store.
    """
    db = store_db_path(path)
    try:
        return ox.Store.read_only(str(db))
    except OSError as exc:
        raise LoadError(f"{path}: cannot open the store read-only ({exc})") from None


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def build_store(
    path: str | os.PathLike[str],
    settings: Settings | None = None,
    *,
    keep: int = 1,
) -> Path:
    """Build a persisted store at ``path``; switch to it only once it is complete.

    ``path`` becomes a symbolic link to a sibling folder ``.<name>.v-<stamp>/`` holding the
    Oxigraph database and a manifest (files, their SHA-256, quad count). The build writes into
    ``.<name>.build-<stamp>/``, renames it when done, and replaces the link with an atomic
    ``rename``. A build killed at any point (even with SIGKILL) leaves the previous store
    usable; its half-written folder is removed by the next build.

    Parameters
    ----------
    path : path-like
        Where the store is opened from (``KG_STORE``).
    settings : Settings, optional
        Where the ontology and data files are.
    keep : int
        How many previous builds to keep next to the current one (a running server may still be
        reading the previous one).

    Returns
    -------
    Path
        The folder the link now points to.

    Raises
    ------
    LoadError
        A file cannot be parsed (nothing is switched), or another build holds the lock.
    """
    from kg.loader.load import discover, load_store

    s = settings or get_settings()
    link = Path(path).expanduser().absolute()
    parent, name = link.parent, link.name
    parent.mkdir(parents=True, exist_ok=True)
    with open(parent / f".{name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LoadError(f"{link}: another build of this store is running") from None
        for stale in parent.glob(f".{name}.build-*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed build
        stamp = f"{time.time_ns():020d}"
        work = parent / f".{name}.build-{stamp}"
        work.mkdir()
        files = discover(s)
        store = load_store(s, files=files, path=work / DB_DIR)
        quads = len(store)
        store.flush()
        del store  # closes the database before it is renamed
        manifest = {
            "format": 1,
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "quads": quads,
            "files": [
                {
                    "path": str(f.path),
                    "graph": f.graph.value,
                    "sha256": hashlib.sha256(f.path.read_bytes()).hexdigest(),
                }
                for f in files
            ],
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        _fsync_dir(work)
        final = parent / f".{name}.v-{stamp}"
        os.rename(work, final)
        tmp_link = parent / f".{name}.link-{stamp}"
        os.symlink(final.name, tmp_link)
        if link.is_dir() and not link.is_symlink():
            # A plain folder (an older layout) cannot be replaced atomically: move it aside.
            os.rename(link, parent / f".{name}.old-{stamp}")
        os.replace(tmp_link, link)  # atomic: readers see the old or the new store, never none
        _fsync_dir(parent)
        _prune(parent, name, final, keep)
    return final


def _prune(parent: Path, name: str, current: Path, keep: int) -> None:
    versions = sorted(p for p in parent.glob(f".{name}.v-*") if p != current)
    for old in versions[: max(len(versions) - keep, 0)]:
        shutil.rmtree(old, ignore_errors=True)
    for old in parent.glob(f".{name}.old-*"):
        shutil.rmtree(old, ignore_errors=True)
