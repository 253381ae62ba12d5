"""Where the ontology, data, queries and source documents are, resolved in one place.

Defaults are relative to the repository root when run from a checkout, and to the copies
bundled in the installed package (``kg/_resources``) otherwise; every path can be overridden
with an environment variable (``KG_ONTOLOGY_DIR``, ``KG_DATA_DIR``, ``KG_QUERIES_DIR``,
``KG_SEEDS_DIR``, ``KG_SPARQL_ENDPOINT``...).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

BASE_IRI = "https://w3id.org/integration-kg/"
MI = BASE_IRI + "ontology#"

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
    """Paths and service settings; build with :func:`get_settings` to honour ``KG_*`` variables."""

    ontology_dir: Path = field(default_factory=lambda: _default_dir("ontology"))
    data_dir: Path = field(default_factory=lambda: _default_dir("data") / "ttl")
    queries_dir: Path = field(default_factory=lambda: _default_dir("queries"))
    seeds_dir: Path = field(default_factory=lambda: _REPO_ROOT.parent / "shared" / "seeds")
    store_path: Path | None = None
    sparql_endpoint: str | None = None
    sparql_user: str | None = None
    sparql_password: str | None = None
    query_timeout: float = 30.0
    max_rows: int = 100_000
    max_body_bytes: int = 1_000_000
    cors_origins: tuple[str, ...] = ()
    service_allow: tuple[str, ...] = ()

    @property
    def shapes_dir(self) -> Path:
        """Folder of the SHACL shapes files."""
        return self.ontology_dir / "shapes"


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


@lru_cache
def get_settings() -> Settings:
    """Build :class:`Settings` from the environment (cached; tests clear the cache)."""
    d = Settings()
    store = os.environ.get("KG_STORE")
    return Settings(
        ontology_dir=_env_path("KG_ONTOLOGY_DIR", d.ontology_dir),
        data_dir=_env_path("KG_DATA_DIR", d.data_dir),
        queries_dir=_env_path("KG_QUERIES_DIR", d.queries_dir),
        seeds_dir=_env_path("KG_SEEDS_DIR", d.seeds_dir),
        store_path=Path(store).resolve() if store else None,
        sparql_endpoint=os.environ.get("KG_SPARQL_ENDPOINT") or None,
        sparql_user=os.environ.get("KG_SPARQL_USER") or None,
        sparql_password=os.environ.get("KG_SPARQL_PASSWORD") or None,
        query_timeout=float(os.environ.get("KG_QUERY_TIMEOUT", d.query_timeout)),
        max_rows=int(os.environ.get("KG_MAX_ROWS", d.max_rows)),
        max_body_bytes=int(os.environ.get("KG_MAX_BODY_BYTES", d.max_body_bytes)),
        cors_origins=_split(os.environ.get("KG_CORS_ORIGINS")),
        service_allow=_split(os.environ.get("KG_SERVICE_ALLOW")),
    )


def request_head_bytes(max_body_bytes: int) -> int:
    """Largest request head uvicorn must buffer so GET queries up to the body cap get an answer.

    A query sent as ``?query=`` is percent-encoded: each UTF-8 byte takes up to three
    characters. Below this size h11 drops the connection without a response, so the
    endpoint's own 414 (which names ``KG_MAX_BODY_BYTES``) could never be seen.
    """
    return max(16 * 1024, 3 * max_body_bytes + 64 * 1024)
