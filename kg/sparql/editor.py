"""The named queries as the SPARQL editor (``/sparql``) opens them: runnable as shown.

Conventions
-----------
- The editor shows plain SPARQL 1.1, because it sends the text to the standard endpoint and
  its syntax checker (YASQE) knows SPARQL 1.1 only: a query written with Oxigraph's
  ``LATERAL`` is shown as its SPARQL 1.1 rewrite (:func:`kg.sparql.text.without_lateral`), and
  the parameter values are bound by ``VALUES`` blocks (:func:`kg.sparql.text.inject_values`,
  the binding the remote backend uses, so the answer is the named query's answer).
- A query with parameters opens with its header's ``example`` values bound; other values
  come from the editor's parameter form (:func:`editor_example` with ``values``). A required
  parameter without a value is left unbound, and the comment at the top says so.
- The ``#+`` header becomes a short comment (title, summary, the bound values).
- :func:`editor_prefixes` are the prefixes the editor predeclares: the CLI's
  (:data:`kg.namespaces.ALL_PREFIXES`), written once there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from kg.exceptions import QueryError
from kg.namespaces import ALL_PREFIXES
from kg.settings import Settings
from kg.sparql.named import NamedQuery, bind_params, get_query, load_queries
from kg.sparql.text import inject_values, uses_lateral, without_lateral

__all__ = ["editor_example", "editor_examples", "editor_prefixes", "editor_text"]


def editor_prefixes() -> dict[str, str]:
    """Return the prefixes the editor predeclares (those of the CLI's ad-hoc queries).

    Examples
    --------
    >>> editor_prefixes()["mi"]
    'https://w3id.org/integration-kg/ontology#'
    """
    return dict(ALL_PREFIXES)


def _values_comment(query: NamedQuery, values: Mapping[str, Any]) -> list[str]:
    lines = []
    for p in query.params:
        v = values.get(p.name)
        if v is None or v == "":
            need = "required, not set: give it in the form" if p.required else "not set: all"
            lines.append(f"#   {p.name} ({p.type}): {need}")
        else:
            lines.append(f"#   {p.name} ({p.type}) = {v}")
    return lines


def editor_text(query: NamedQuery, values: Mapping[str, Any] | None = None) -> str:
    """Return the text of ``query`` for the editor, with ``values`` bound (default: its example).

    Parameters
    ----------
    query : NamedQuery
        The named query.
    values : mapping, optional
        Parameter values as a user gives them; the header's ``example`` when omitted.

    Raises
    ------
    QueryError
        A value of the wrong type, or a parameter the query does not declare.
    """
    given = dict(query.example if values is None else values)
    missing_required = [
        p.name for p in query.params if p.required and given.get(p.name) in (None, "")
    ]
    bindable = {k: v for k, v in given.items() if k not in missing_required}
    if missing_required:
        # Bind what can be bound; the required ones stay unbound until the form sets them.
        declared = {p.name for p in query.params}
        unknown = sorted(set(bindable) - declared)
        if unknown:
            raise QueryError(f"unknown parameter {unknown[0]!r} for query {query.name!r}")
        partial = replace(query, params=tuple(p for p in query.params if not p.required))
        bindings = bind_params(partial, bindable)
    else:
        bindings = bind_params(query, bindable)
    body = "\n".join(ln for ln in query.text.splitlines() if not ln.startswith("#+")).strip()
    if uses_lateral(body):
        body = without_lateral(body)
    body = inject_values(body, bindings) if bindings else body
    head = [f"# {query.title} (named query {query.name})"]
    if query.summary:
        head.append(f"# {query.summary}")
    if query.params:
        head.append("# Parameters, bound below by VALUES (change them in the form above):")
        head += _values_comment(query, given)
    return "\n".join(head) + "\n" + body + "\n"


def editor_example(
    name: str, values: Mapping[str, Any] | None = None, *, settings: Settings | None = None
) -> dict[str, Any]:
    """Return one named query as the editor offers it.

    Parameters
    ----------
    name : str
        The query's name.
    values : mapping, optional
        Parameter values (the header's example when omitted).
    settings : Settings, optional
        Where the queries are.

    Returns
    -------
    dict
        ``name``, ``title``, ``summary``, ``params`` (``name``, ``type``, ``required``,
        ``description``, ``value``: the value bound) and ``text``.
    """
    q = get_query(name, settings)
    given = dict(q.example if values is None else values)
    return {
        "name": q.name,
        "title": q.title,
        "summary": q.summary,
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "description": p.description,
                "value": given.get(p.name),
            }
            for p in q.params
        ],
        "text": editor_text(q, given),
    }


def editor_examples(settings: Settings | None = None) -> list[dict[str, Any]]:
    """Return every named query as :func:`editor_example` gives it, sorted by title."""
    out = [editor_example(name, settings=settings) for name in load_queries(settings)]
    return sorted(out, key=lambda e: e["title"].lower())
