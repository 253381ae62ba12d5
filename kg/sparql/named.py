"""The library of named SPARQL queries in ``queries/``.

Each ``*.rq`` file starts with a grlc-compatible header: lines beginning with ``#+`` are YAML
(``title``, ``summary``, ``description``, ``tags``, ``params``, ``returns``, ``example``, and
ours: ``concat``, the columns joined here rather than by ``GROUP_CONCAT``, see
:func:`concat_rows`). The rest is plain SPARQL. A parameter is a variable of the query with the
parameter's name; its value is bound as an RDF term by the backend (pyoxigraph substitutions,
or a serialised VALUES block for a remote endpoint), never pasted into the query text. An
optional parameter left out stays unbound, so queries write ``FILTER(!BOUND(?x) || ...)``.

Parameter types: ``iri`` (a full IRI, a CURIE such as ``actor:lu-asti``, or a bare slug resolved
with the parameter's ``prefix``), ``string``, ``integer``, ``decimal``, ``boolean``, ``date``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import yaml

from kg.exceptions import QueryError, UnknownQueryError
from kg.namespaces import ALL_PREFIXES, PREFIXES, XSD
from kg.settings import Settings, get_settings

__all__ = [
    "PARAM_TYPES",
    "Resolver",
    "NamedQuery",
    "Param",
    "bind_params",
    "concat_rows",
    "expand_iri",
    "get_query",
    "load_queries",
    "parse_header",
    "parse_param_options",
    "prepare_query",
    "read_query",
    "rows_as_dicts",
    "normalise_result",
    "query_text",
    "run_named",
    "run_query",
    "term_value",
    "to_term",
    "with_default_prefixes",
]

if TYPE_CHECKING:  # pragma: no cover
    from kg.sparql.backend import Backend, SelectResult

PARAM_TYPES = ("iri", "string", "integer", "decimal", "boolean", "date")


@dataclass(frozen=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str = "string"
    required: bool = False
    default: Any = None
    description: str = ""
    prefix: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its parsed header."""

    name: str
    path: Path
    text: str
    title: str
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    returns: Mapping[str, str] = field(default_factory=dict)
    example: Mapping[str, Any] = field(default_factory=dict)
    concat: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (for the API and the UI)."""
        return {
            "name": self.name,
            "title": self.title,
            "summary": self.summary,
            "description": self.description,
            "tags": list(self.tags),
            "params": [p.__dict__ for p in self.params],
            "returns": dict(self.returns),
            "example": dict(self.example),
            "concat": dict(self.concat),
            "query": self.text,
        }


def parse_header(path: Path, text: str) -> dict[str, Any]:
    """Return the YAML header of a query file (``#+`` lines), raising QueryError if malformed."""
    lines = [ln[2:].removeprefix(" ") for ln in text.splitlines() if ln.startswith("#+")]
    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: header is not valid YAML: {exc}") from exc
    if not isinstance(header, dict) or "title" not in header:
        raise QueryError(f"{path}: header must be a YAML mapping with at least a title")
    return header


def read_query(path: Path, name: str | None = None) -> NamedQuery:
    """Read one query file and its header (a file that is not UTF-8 text raises QueryError)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise QueryError(f"{path}: cannot read ({exc.strerror or exc})") from None
    h = parse_header(path, text)
    params = []
    for pname, spec in (h.get("params") or {}).items():
        spec = spec or {}
        ptype = spec.get("type", "string")
        if ptype not in PARAM_TYPES:
            raise QueryError(f"{path}: parameter {pname!r} has unknown type {ptype!r}")
        params.append(
            Param(
                name=pname,
                type=ptype,
                required=bool(spec.get("required", False)),
                default=spec.get("default"),
                description=str(spec.get("description", "")),
                prefix=spec.get("prefix"),
            )
        )
    concat = h.get("concat") or {}
    if not isinstance(concat, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in concat.items()
    ):
        raise QueryError(f"{path}: concat must map column names to separators")
    return NamedQuery(
        name=name or path.stem,
        path=path,
        text=text,
        title=str(h["title"]),
        summary=str(h.get("summary", "")),
        description=str(h.get("description", "")).strip(),
        tags=tuple(h.get("tags") or ()),
        params=tuple(params),
        returns=h.get("returns") or {},
        example=h.get("example") or {},
        concat=concat,
    )


@lru_cache(maxsize=8)
def _load_dir(queries_dir: Path) -> dict[str, NamedQuery]:
    out: dict[str, NamedQuery] = {}
    for p in sorted(queries_dir.rglob("*.rq")):
        rel = p.relative_to(queries_dir).with_suffix("").as_posix()
        out[rel] = read_query(p, rel)
    return out


def load_queries(settings: Settings | None = None) -> dict[str, NamedQuery]:
    """Return every named query keyed by its name (path under ``queries/`` without ``.rq``)."""
    s = settings or get_settings()
    return dict(_load_dir(s.queries_dir))


def get_query(name: str, settings: Settings | None = None) -> NamedQuery:
    """Return one named query, or raise QueryError listing close names."""
    queries = load_queries(settings)
    if name in queries:
        return queries[name]
    close = [n for n in queries if name and name.lower() in n.lower()]
    close += difflib.get_close_matches(name, list(queries), n=3, cutoff=0.6)
    close = list(dict.fromkeys(close))
    hint = (
        f" (did you mean: {', '.join(close[:5])}?)" if close else " (see the list of named queries)"
    )
    raise UnknownQueryError(f"unknown query {name!r}{hint}")


def expand_iri(value: str, prefix: str | None = None) -> str:
    """Expand a CURIE (``actor:lu-asti``) or bare slug (with ``prefix``) to a full IRI."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", value) or value.startswith("urn:"):
        return value
    if ":" in value:
        pfx, local = value.split(":", 1)
        if pfx in PREFIXES:
            return PREFIXES[pfx] + local
        raise ValueError(f"unknown prefix {pfx!r} (known: {', '.join(sorted(PREFIXES))})")
    if prefix and prefix in PREFIXES:
        return PREFIXES[prefix] + value
    raise ValueError("expected an IRI, a CURIE such as actor:lu-asti, or a slug")


def to_term(param: Param, value: Any) -> ox.NamedNode | ox.Literal:
    """Convert a user-supplied value to the RDF term of the parameter's type."""
    raw = str(value).strip()
    try:
        if param.type == "iri":
            iri = expand_iri(raw, param.prefix)
            if any(c in iri for c in '<>" {}|\\^`'):
                raise ValueError('an IRI cannot contain spaces or <>"{}|\\^`')
            return ox.NamedNode(iri)
        if param.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", raw):
                raise ValueError("expected an integer")
            return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
        if param.type == "decimal":
            try:
                d = Decimal(raw)
            except InvalidOperation as exc:
                raise ValueError("expected a number") from exc
            if not d.is_finite():
                raise ValueError("expected a finite number")
            return ox.Literal(str(d), datatype=ox.NamedNode(XSD + "decimal"))
        if param.type == "boolean":
            if raw.lower() not in ("true", "false", "1", "0"):
                raise ValueError("expected true or false")
            return ox.Literal(
                "true" if raw.lower() in ("true", "1") else "false",
                datatype=ox.NamedNode(XSD + "boolean"),
            )
        if param.type == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError("expected a date YYYY-MM-DD")
            return ox.Literal(raw, datatype=ox.NamedNode(XSD + "date"))
        return ox.Literal(raw)
    except ValueError as exc:
        raise QueryError(f"parameter {param.name!r} ({param.type}): {exc}, got {raw!r}") from None


def bind_params(
    query: NamedQuery, values: Mapping[str, Any]
) -> dict[str, ox.NamedNode | ox.Literal]:
    """Check the supplied values against the header and convert them to terms.

    Raises
    ------
    QueryError
        A required parameter is missing, a value has the wrong type, or a name is unknown.
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise QueryError(
            f"unknown parameter {unknown[0]!r} for query {query.name!r} (known: {known})"
        )
    out: dict[str, ox.NamedNode | ox.Literal] = {}
    for p in query.params:
        v = values.get(p.name)
        if v is None or v == "":
            if p.default is not None:
                v = p.default
            elif p.required:
                raise QueryError(
                    f"parameter {p.name!r} ({p.type}) is required by query {query.name!r}"
                    + (f": {p.description}" if p.description else "")
                )
            else:
                continue
        out[p.name] = to_term(p, v)
    return out


def parse_param_options(options: list[str]) -> dict[str, str]:
    """Parse CLI ``-p key=value`` options."""
    out: dict[str, str] = {}
    for opt in options:
        if "=" not in opt:
            raise QueryError(f"parameter {opt!r} must be written key=value")
        k, v = opt.split("=", 1)
        out[k.strip()] = v
    return out


#: Turns the values a person typed into what a query's parameters take (names to IRIs); see
#: :func:`kg.entities.resolve.resolver`.
Resolver = Callable[[NamedQuery, Mapping[str, Any]], Mapping[str, Any]]


def prepare_query(
    name: str | None,
    file: Path | None,
    values: Mapping[str, Any],
    *,
    resolve: Resolver | None = None,
) -> tuple[NamedQuery | None, str, dict[str, ox.NamedNode | ox.Literal]]:
    """Return ``(query, text, bindings)`` for a named query or a ``.rq`` file, ready to run.

    Parameters
    ----------
    name : str, optional
        A named query (see :func:`load_queries`); give this or ``file``.
    file : Path, optional
        A query file; its ``#+`` header, when present, declares its parameters.
    values : mapping
        Parameter values as given by a user.
    resolve : callable, optional
        Applied to the values before they are bound (names people type to IRIs).

    Raises
    ------
    QueryError
        Unknown query, unreadable file, or parameters the query does not declare.
    """
    if file is None:
        q = get_query(name or "")
        return q, q.text, bind_params(q, resolve(q, values) if resolve else values)
    if not file.is_file():
        raise QueryError(f"{file}: no such query file")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"{file}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise QueryError(f"{file}: cannot read ({exc.strerror})") from None
    q = read_query(file) if text.startswith("#+") else None
    if values and q is None:
        raise QueryError(f"{file}: parameters given but the file declares none (#+ params)")
    if q is None:
        return None, text, {}
    return q, text, bind_params(q, resolve(q, values) if resolve else values)


def with_default_prefixes(query: str) -> str:
    """Declare the usual prefixes (mi:, org:, actor:, kind:...) that ``query`` uses but lacks.

    For ad-hoc queries typed on the command line; a prefix the query declares itself wins.
    """
    declared = {
        m.lower() for m in re.findall(r"PREFIX\s+([A-Za-z][\w.-]*)?:", query, re.IGNORECASE)
    }
    known = ALL_PREFIXES
    used = {p for p in known if re.search(rf"(?<![\w?$<-]){re.escape(p)}:", query)}
    lines = [f"PREFIX {p}: <{known[p]}>" for p in sorted(used) if p.lower() not in declared]
    return "\n".join([*lines, query]) if lines else query


def run_named(
    name: str,
    values: Mapping[str, Any] | None = None,
    *,
    backend: Backend,
    settings: Settings | None = None,
    resolve: Resolver | None = None,
) -> SelectResult:
    """Run a named query with parameter values on ``backend``.

    Parameters
    ----------
    name : str
        The query's name (its path under ``queries/`` without ``.rq``).
    values : mapping, optional
        Parameter values as given by a user (strings, numbers); see :func:`bind_params`.
    backend : Backend
        Where to run it.
    settings : Settings, optional
        Where the queries are (``queries_dir``); default :func:`kg.settings.get_settings`.
    resolve : callable, optional
        Applied to the values before they are bound (names people type to IRIs).

    Returns
    -------
    SelectResult
        The query's columns and rows of terms.
    """
    q = get_query(name, settings)
    given = values or {}
    return run_query(q, bind_params(q, resolve(q, given) if resolve else given), backend=backend)


def query_text(text: str, *, backend: Backend) -> str:
    """Return the text of a query in the dialect ``backend`` speaks.

    A named query that uses ``LATERAL`` (Oxigraph's SEP-0006, kept where it measurably speeds
    the query up on Oxigraph) is rewritten as SPARQL 1.1 (:func:`kg.sparql.text.without_lateral`)
    for a backend whose probe says it has no ``LATERAL``
    (:func:`kg.sparql.backend.supports_lateral`). Every other text runs as written.

    Parameters
    ----------
    text : str
        The query text.
    backend : Backend
        Where it will run (probed once for ``LATERAL``).

    Returns
    -------
    str
        ``text``, or its SPARQL 1.1 rewrite.
    """
    from kg.sparql.backend import supports_lateral
    from kg.sparql.text import uses_lateral, without_lateral

    if uses_lateral(text) and not supports_lateral(backend):
        return without_lateral(text)
    return text


def normalise_result(
    result: SelectResult, text: str, query: NamedQuery | None = None
) -> SelectResult:
    """Make a result the same on every store, where SPARQL leaves it undefined.

    - ``GROUP_CONCAT`` columns (:func:`kg.sparql.text.group_concat_columns`): the concatenated
      values are sorted (SPARQL leaves their order undefined) and the result is a simple
      literal (Oxigraph keeps a language tag all the values share, others drop it); an empty
      concatenation is unbound, as Oxigraph gives it.
    - Booleans: an ``xsd:boolean`` written ``1`` or ``0``, or a column the header declares
      ``boolean`` holding the integer 1 or 0 (Virtuoso's computed booleans), becomes
      ``true`` / ``false``.
    - The header's ``concat`` columns are joined here (:func:`concat_rows`).

    Parameters
    ----------
    result : SelectResult
        The rows as the backend returned them (changed in place).
    text : str
        The query text (where the ``GROUP_CONCAT`` columns are found).
    query : NamedQuery, optional
        The named query, whose header's ``returns`` declares the boolean columns.

    Returns
    -------
    SelectResult
        ``result``, normalised.
    """
    from kg.sparql.text import group_concat_columns

    concat = {c: sep for c, sep in group_concat_columns(text).items() if c in result.columns}
    declared = {c for c, t in (query.returns if query else {}).items() if t == "boolean"}
    for row in result.rows:
        for col, term in row.items():
            if not isinstance(term, ox.Literal):
                continue
            if col in concat:
                sep = concat[col]
                value = sep.join(sorted(term.value.split(sep))) if sep else term.value
                row[col] = ox.Literal(value) if value else None
            elif term.datatype == _BOOLEAN or col in declared:
                row[col] = _boolean(term)
    if query is not None and query.concat:
        return concat_rows(result, query.concat)
    return result


def concat_rows(result: SelectResult, concat: Mapping[str, str]) -> SelectResult:
    """Join rows that agree on every other column, concatenating the ``concat`` columns.

    The header key ``concat: {column: separator}`` declares columns that the query returns one
    value a row and that are joined here, like ``GROUP_CONCAT(DISTINCT …)``: the distinct values,
    sorted (no answer depends on an order SPARQL leaves undefined), as a simple literal; no
    value gives an unbound cell. Rows keep the order of their first appearance. This is for
    lists longer than a store's temporary columns (Virtuoso 7.2: SR319, "Max row length is
    exceeded", past about 4,000 characters).

    Parameters
    ----------
    result : SelectResult
        Rows with one value a row in each ``concat`` column.
    concat : mapping of str to str
        Column name to separator.

    Returns
    -------
    SelectResult
        One row per distinct combination of the other columns.

    Examples
    --------
    >>> from kg.sparql.backend import SelectResult
    >>> a, b, x = ox.Literal("a"), ox.Literal("b"), ox.Literal("x")
    >>> rows = [{"k": x, "v": b}, {"k": x, "v": a}, {"k": x, "v": b}, {"k": a, "v": None}]
    >>> out = concat_rows(SelectResult(["k", "v"], rows), {"v": ", "})
    >>> [(r["k"].value, r["v"].value if r["v"] else None) for r in out.rows]
    [('x', 'a, b'), ('a', None)]
    """
    from kg.sparql.backend import SelectResult

    keys = [c for c in result.columns if c not in concat]
    groups: dict[tuple[Any, ...], dict[str, set[str]]] = {}
    for row in result.rows:
        values = groups.setdefault(tuple(row.get(c) for c in keys), {c: set() for c in concat})
        for col, found in values.items():
            term = row.get(col)
            if term is not None:
                found.add(term.value)
    rows: list[dict[str, Any]] = []
    for key, values in groups.items():
        row: dict[str, Any] = dict(zip(keys, key, strict=True))
        for col in concat:
            row[col] = ox.Literal(concat[col].join(sorted(values[col]))) if values[col] else None
        rows.append({c: row.get(c) for c in result.columns})
    return SelectResult(list(result.columns), rows)


_BOOLEAN = ox.NamedNode(XSD + "boolean")
_TRUE = ox.Literal("true", datatype=_BOOLEAN)
_FALSE = ox.Literal("false", datatype=_BOOLEAN)


def _boolean(term: ox.Literal) -> ox.Literal:
    value = term.value.strip().lower()
    if value in ("true", "1"):
        return _TRUE
    if value in ("false", "0"):
        return _FALSE
    return term  # not a boolean after all: left as it is


def run_query(
    query: NamedQuery | str,
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    *,
    backend: Backend,
) -> SelectResult:
    """Run a named query (or any SELECT text) on ``backend`` in its dialect, answers normalised.

    Parameters
    ----------
    query : NamedQuery or str
        The query (its header's ``returns`` types are used), or plain text.
    bindings : mapping, optional
        Variable name to term (see :func:`bind_params`).
    backend : Backend
        Where to run it.

    Returns
    -------
    SelectResult
        Columns and rows, with :func:`normalise_result` applied.
    """
    named = query if isinstance(query, NamedQuery) else None
    text = named.text if named else str(query)
    result = backend.select(query_text(text, backend=backend), bindings or {})
    return normalise_result(result, text, named)


def term_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Any:
    """Plain Python value of a result term (numbers and booleans typed, others as strings)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.removeprefix(XSD)
        if dt in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
            return int(term.value)
        if dt in ("decimal", "double", "float"):
            f = float(term.value)
            return int(f) if f.is_integer() and dt == "decimal" else f
        if dt == "boolean":
            return term.value in ("true", "1")
    return term.value


def rows_as_dicts(result: Any) -> list[dict[str, Any]]:
    """Return the rows as JSON-ready dicts (every column present, None where unbound)."""
    return [{c: term_value(r.get(c)) for c in result.columns} for r in result.rows]
