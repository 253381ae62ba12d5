"""Where the ontology, data, queries and source documents are, resolved in one place.

Defaults are relative to the repository root when run from a checkout, and to the copies
bundled in the installed package (``kg/_resources``) otherwise; every path can be overridden
with an environment variable (``KG_ONTOLOGY_DIR``, ``KG_DATA_DIR``, ``KG_QUERIES_DIR``,
``KG_SEEDS_DIR``, ``KG_SPARQL_ENDPOINT``...).

Why one small module and not pydantic-settings: the settings are a dozen paths and numbers, read
once; a frozen dataclass keeps them hashable (caches key on them) and free of a dependency, and
each bad value gets a one-line :class:`~kg.exceptions.SettingsError` naming its variable
(``KG_QUERY_TIMEOUT='abc' is not a number``) instead of a multi-line validation report.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from kg.exceptions import SettingsError

__all__ = ["Settings", "env_number", "get_settings"]

_N = TypeVar("_N", int, float)

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent


def _default_dir(name: str) -> Path:
    """Return ``<repo>/<name>`` in a checkout, else the copy bundled in the wheel."""
    in_repo = _REPO_ROOT / name
    if in_repo.is_dir():
        return in_repo
    return _PACKAGE_DIR / "_resources" / name


def _env_path(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Paths and service settings; build with :func:`get_settings` to honour ``KG_*`` variables.

    ``max_result_bytes`` (``KG_MAX_RESULT_BYTES``) caps the size of a SPARQL answer as
    ``max_rows`` caps its rows; ``worker_memory_mb`` (``KG_WORKER_MEMORY_MB``) is the address
    space each query worker may use (``RLIMIT_AS``) before its query is stopped.
    ``head_timeout`` (``KG_HEAD_TIMEOUT``) is how long a request head may take to arrive and
    ``max_connections`` (``KG_MAX_CONNECTIONS``) how many connections ``kg serve`` holds.
    """

    ontology_dir: Path = field(default_factory=lambda: _default_dir("ontology"))
    data_dir: Path = field(default_factory=lambda: _default_dir("data") / "ttl")
    #: Folders of the user's own Turtle files, loaded beside ``data_dir`` (``KG_DATA_DIRS``).
    extra_data_dirs: tuple[Path, ...] = ()
    queries_dir: Path = field(default_factory=lambda: _default_dir("queries"))
    seeds_dir: Path = field(default_factory=lambda: _REPO_ROOT.parent / "shared" / "seeds")
    store_path: Path | None = None
    sparql_endpoint: str | None = None
    sparql_user: str | None = None
    sparql_password: str | None = None
    sparql_auth: str = "basic"
    sparql_graphs: tuple[str, ...] = ()
    query_timeout: float = 30.0
    max_rows: int = 100_000
    max_body_bytes: int = 1_000_000
    max_result_bytes: int = 64 * 1024 * 1024
    worker_memory_mb: int = 2048
    head_timeout: float = 10.0
    max_connections: int = 256
    cors_origins: tuple[str, ...] = ()
    service_allow: tuple[str, ...] = ()

    @property
    def shapes_dir(self) -> Path:
        """Folder of the SHACL shapes files."""
        return self.ontology_dir / "shapes"


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _auth(value: str | None) -> str:
    auth = (value or "basic").strip().lower()
    if auth not in ("basic", "digest"):
        raise SettingsError(f"KG_SPARQL_AUTH={value!r} must be basic or digest")
    return auth


def env_number(var: str, default: _N, kind: type[_N], *, zero: bool = False) -> _N:
    """Read a positive number from ``var``; a bad value raises one line naming the variable.

    Parameters
    ----------
    var : str
        The environment variable (``KG_QUERY_TIMEOUT``...).
    default : int or float
        The value when the variable is unset or empty.
    kind : type
        ``int`` (``1e5`` is refused: not a whole number) or ``float``.
    zero : bool
        Whether 0 is allowed (it means "off" for some settings).

    Raises
    ------
    SettingsError
        Not a number of that kind, negative, zero (unless allowed), or not finite.
    """
    raw = os.environ.get(var, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise SettingsError(f"{var}={raw!r} is not {what}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise SettingsError(f"{var}={raw!r} must be a finite number")
    if value < 0 or (value == 0 and not zero):
        raise SettingsError(f"{var}={raw!r} must be a positive number" + (" or 0" if zero else ""))
    return value


@lru_cache
def get_settings() -> Settings:
    """Build :class:`Settings` from the environment (cached; tests clear the cache)."""
    d = Settings()
    store = os.environ.get("KG_STORE")
    return Settings(
        ontology_dir=_env_path("KG_ONTOLOGY_DIR", d.ontology_dir),
        data_dir=_env_path("KG_DATA_DIR", d.data_dir),
        extra_data_dirs=tuple(
            Path(v).expanduser().resolve()
            for v in os.environ.get("KG_DATA_DIRS", "").split(os.pathsep)
            if v.strip()
        ),
        queries_dir=_env_path("KG_QUERIES_DIR", d.queries_dir),
        seeds_dir=_env_path("KG_SEEDS_DIR", d.seeds_dir),
        store_path=Path(store).resolve() if store else None,
        sparql_endpoint=os.environ.get("KG_SPARQL_ENDPOINT") or None,
        sparql_user=os.environ.get("KG_SPARQL_USER") or None,
        sparql_password=os.environ.get("KG_SPARQL_PASSWORD") or None,
        sparql_auth=_auth(os.environ.get("KG_SPARQL_AUTH")),
        sparql_graphs=_split(os.environ.get("KG_SPARQL_GRAPHS")),
        query_timeout=env_number("KG_QUERY_TIMEOUT", d.query_timeout, float),
        max_rows=env_number("KG_MAX_ROWS", d.max_rows, int),
        max_body_bytes=env_number("KG_MAX_BODY_BYTES", d.max_body_bytes, int),
        max_result_bytes=env_number("KG_MAX_RESULT_BYTES", d.max_result_bytes, int),
        worker_memory_mb=env_number("KG_WORKER_MEMORY_MB", d.worker_memory_mb, int),
        head_timeout=env_number("KG_HEAD_TIMEOUT", d.head_timeout, float),
        max_connections=env_number("KG_MAX_CONNECTIONS", d.max_connections, int),
        cors_origins=_split(os.environ.get("KG_CORS_ORIGINS")),
        service_allow=_split(os.environ.get("KG_SERVICE_ALLOW")),
    )
