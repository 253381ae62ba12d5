r"""Lexical look at SPARQL text: query form, ``SERVICE`` targets, prefixes, ``VALUES`` injection.

Conventions
-----------
- This is a tokenizer, not a parser: Oxigraph parses and evaluates every query. The tokens are
  used for decisions that must be made before a query reaches a worker (is it an update? does it
  call ``SERVICE``? where does its ``WHERE`` group start?).
- It follows the SPARQL 1.1 grammar's terminals: comments, the four string forms with escapes,
  prefixed names with ``%``-encoded and ``\\``-escaped characters, variables, blank nodes and
  IRIs. ``<`` is both the start of an IRI and the less-than operator; like Oxigraph's parser it
  is read as an operator only right after an operand inside an expression's parentheses.
- :func:`service_targets` errs on the side of finding a ``SERVICE``; the query workers are also
  sandboxed (:mod:`kg.sparql.sandbox`), so a miss here cannot make the server call another host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.exceptions import QueryError, ServiceRefusedError

__all__ = [
    "MAX_NESTING",
    "Token",
    "check_nesting",
    "check_service",
    "has_dataset_clause",
    "inject_values",
    "without_lateral",
    "prefixes",
    "query_form",
    "service_targets",
    "group_concat_columns",
    "tokenize",
    "uses_lateral",
    "with_base",
]

_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PLX = rf"(?:%[0-9A-Fa-f]{{2}}|{_ESC})"
_PN_LOCAL = rf"(?:[\w:]|{_PLX})(?:(?:[\w.:\-]|{_PLX})*(?:[\w:\-]|{_PLX}))?"
_PNAME = rf"(?:[^\W\d_](?:[\w.\-]*[\w\-])?)?:(?:{_PN_LOCAL})?"

# Order matters: the first alternative that matches at a position wins (longest forms first).
# The prefixed-name alternative is tried only where a prefix can end in ":" (see _pname_can_start):
# otherwise ``a.a.a.…`` would make the regex scan the rest of the run from every "a".
_TOKEN_SOURCE = r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
             |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
             |'(?:[^'\\\n\r]|\\.)*'
             |"(?:[^"\\\n\r]|\\.)*")
  | (?P<triple><<\(?|\)?>>)
  | (?P<var>[?$]\w+)
  | (?P<bnode>_:[\w](?:[\w.\-]*[\w\-])?)
  PNAME
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?)
  | (?P<number>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<op>\^\^|&&|\|\||<=|>=|!=)
  | (?P<punct>.)
    """
_TOKEN = re.compile(
    _TOKEN_SOURCE.replace("PNAME", rf"| (?P<pname>{_PNAME})"), re.VERBOSE | re.DOTALL
)
_TOKEN_NO_PNAME = re.compile(_TOKEN_SOURCE.replace("PNAME", ""), re.VERBOSE | re.DOTALL)
# A run of the characters a prefix can hold: a prefixed name starts here only if it ends in ":".
_PREFIX_RUN = re.compile(r"[\w.\-]*")
# IRIs may hold \uXXXX and \UXXXXXXXX escapes (Oxigraph decodes them): read them as one token.
_IRIREF = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_VARNAME = re.compile(r"^\w+$")
_SERVICE_WORD = re.compile("service", re.IGNORECASE)

_OPERANDS = {"var", "iri", "pname", "string", "number", "lang", "bnode"}
_QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_UPDATE_VERBS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}
# Words after which "(" opens an expression rather than a collection or a VALUES row.
_EXPR_OPENERS = {
    "FILTER",
    "BIND",
    "HAVING",
    "BY",
    "ASC",
    "DESC",
    "SELECT",
    "AS",
    "EXISTS",
    "IN",
}


@dataclass(frozen=True)
class Token:
    """One lexical token: its ``kind`` (``iri``, ``pname``, ``var``, ``word``...) and text."""

    kind: str
    text: str
    start: int
    end: int
    data: bool = False  # a "{" or "(" of a VALUES block


def tokenize(query: str) -> list[Token]:
    """Split query text into tokens, dropping whitespace and comments (see :func:`iter_tokens`)."""
    return list(iter_tokens(query))


def iter_tokens(query: str) -> Iterator[Token]:
    """Yield the tokens of query text, dropping whitespace and comments.

    Parameters
    ----------
    query : str
        SPARQL text.

    Yields
    ------
    Token
        ``kind`` is one of ``iri``, ``pname``, ``var``, ``bnode``, ``string``, ``lang``,
        ``number``, ``word``, ``op``, ``triple`` or ``punct`` (a single character such as
        ``{`` or ``(``), or ``bad`` for an unterminated string.
    """
    tokens: list[Token] = []  # kept for the look-behind that tells "<" and "(" apart
    # Bracket stack: "{", "[", "(e" (expression parenthesis) or "(d" (collection / data row).
    stack: list[str] = []
    after_values = False  # the next "{" or "(" belongs to a VALUES block
    run_end = -1  # end of the last prefix-character run looked at (see _pname_can_start)
    pos, n = 0, len(query)
    while pos < n:
        if query[pos] == "<":
            expr = bool(stack) and stack[-1] == "(e"
            if expr and tokens and _is_operand(tokens[-1]):
                # "?a <<x>" is "?a < <x>" to Oxigraph: after an operand, "<" is less-than
                op = "<=" if query.startswith("<=", pos) else "<"
                tokens.append(Token("op", op, pos, pos + len(op)))
                yield tokens[-1]
                pos += len(op)
                continue
            if not query.startswith("<<", pos):
                m = _IRIREF.match(query, pos)
                if m:
                    tokens.append(Token("iri", m.group(), pos, m.end()))
                    yield tokens[-1]
                    pos = m.end()
                    continue
        if pos >= run_end:
            run_end = _PREFIX_RUN.match(query, pos).end()  # type: ignore[union-attr]
        pname = query[pos] == ":" or (
            run_end < n and query[run_end] == ":" and query[run_end - 1] != "."
        )
        m = (_TOKEN if pname else _TOKEN_NO_PNAME).match(query, pos)
        assert m is not None  # the last alternative matches any character
        if query[pos] in "'\"" and m.lastgroup != "string":
            # An unterminated string: the query cannot parse, so its rest (of the line, or of
            # the text for a long string) is one "bad" token. Retrying at every later quote
            # would make lexing quadratic in the length of hostile input.
            long = query.startswith(("'''", '"""'), pos)
            end = n if long else min(_line_end(query, pos), n)
            tokens.append(Token("bad", query[pos:end], pos, end))
            yield tokens[-1]
            pos = end
            continue
        kind = m.lastgroup or "punct"
        text = m.group()
        pos = m.end()
        if kind in ("ws", "comment"):
            continue
        tok = Token(kind, text, m.start(), m.end())
        if kind == "word" and text.upper() == "VALUES":
            after_values = True
        elif text == "{":
            data = after_values or (bool(stack) and stack[-1] == "{d")
            stack.append("{d" if data else "{")
            tok = Token(kind, text, tok.start, tok.end, data=data)
            after_values = False
        elif text == "[":
            stack.append("[")
        elif text == "(":
            stack.append(_paren_kind(tokens, stack, after_values))
            tok = Token(kind, text, tok.start, tok.end, data=stack[-1] == "(d")
        elif text in (")", "}", "]") and stack:
            stack.pop()
        tokens.append(tok)
        yield tokens[-1]


def _line_end(text: str, pos: int) -> int:
    ends = [i for i in (text.find("\n", pos), text.find("\r", pos)) if i >= 0]
    return min(ends) if ends else len(text)


def _is_operand(tok: Token) -> bool:
    if tok.kind in _OPERANDS:
        return True
    if tok.kind == "word":
        return tok.text.lower() in ("true", "false")
    return tok.text in (")", "]")


def _paren_kind(tokens: list[Token], stack: list[str], after_values: bool) -> str:
    """Classify an opening parenthesis as expression (``(e``) or data (``(d``)."""
    inner = stack[-1] if stack else None
    if after_values or inner in ("(d", "{d"):
        return "(d"
    if inner == "(e" or inner is None:
        return "(e"  # inside an expression, or SELECT (...) / GROUP BY (...) at the top level
    prev = tokens[-1] if tokens else None
    if prev is None:
        return "(e"
    if prev.kind == "word" and prev.text.upper() not in ("A", "UNDEF"):
        return "(e"  # FILTER(, BIND(, a built-in call such as regex(
    before = tokens[-2] if len(tokens) > 1 else None
    if (
        prev.kind in ("pname", "iri")
        and before is not None
        and before.kind == "word"
        and before.text.upper() == "FILTER"
    ):
        return "(e"  # FILTER ex:fn(...): a function call as the whole constraint
    return "(d"  # an RDF collection in a triple pattern


def _words(tokens: list[Token]) -> list[str]:
    return [t.text.upper() for t in tokens if t.kind == "word"]


def prefixes(query: str, tokens: list[Token] | None = None) -> dict[str, str]:
    """Return the ``PREFIX`` declarations of a query as ``{prefix: namespace}``."""
    toks = tokens if tokens is not None else tokenize(query)
    out: dict[str, str] = {}
    for i, t in enumerate(toks[:-2]):
        if t.kind == "word" and t.text.upper() == "PREFIX" and toks[i + 2].kind == "iri":
            name = toks[i + 1].text
            if name.endswith(":"):
                out[name[:-1]] = toks[i + 2].text[1:-1]
    return out


def query_form(query: str, tokens: list[Token] | None = None) -> str | None:
    """Return ``SELECT``, ``CONSTRUCT``, ``DESCRIBE``, ``ASK``, ``UPDATE`` or ``None``.

    ``UPDATE`` means the text starts (after its prologue) with an update verb such as
    ``INSERT`` or ``DROP``.
    """
    skip = 0
    for t in tokens if tokens is not None else iter_tokens(query):  # lazily: the prologue only
        if skip:
            skip -= 1
            continue
        word = t.text.upper() if t.kind == "word" else None
        if word == "BASE":
            skip = 1
            continue
        if word == "PREFIX":
            skip = 2
            continue
        if word in _QUERY_FORMS:
            return word
        if word in _UPDATE_VERBS:
            return "UPDATE"
        return None
    return None


def with_base(query: str, base_iri: str) -> str:
    """Return the query with ``BASE <base_iri>`` in front, unless its prologue has a ``BASE``.

    Used to send a query to another store with the base IRI the local endpoint would use.

    Raises
    ------
    QueryError
        ``base_iri`` cannot be written as an IRI.
    """
    skip = 0
    for t in iter_tokens(query):  # the prologue only
        if skip:
            skip -= 1
            continue
        word = t.text.upper() if t.kind == "word" else None
        if word == "BASE":
            return query
        if word == "PREFIX":
            skip = 2
            continue
        break
    try:
        iri = str(ox.NamedNode(base_iri))
    except ValueError as exc:
        raise QueryError(f"base IRI {base_iri!r}: {exc}") from None
    return f"BASE {iri}\n{query}"


def has_dataset_clause(query: str, tokens: list[Token] | None = None) -> bool:
    """Whether the query names its own dataset with ``FROM`` or ``FROM NAMED``."""
    if tokens is None and "FROM" not in query.upper():
        return False
    toks = tokens if tokens is not None else tokenize(query)
    return "FROM" in _words(toks)


def _iri_value(token_text: str) -> str:
    r"""Return the IRI an ``<…>`` token names, its ``\u`` escapes decoded as Oxigraph does."""
    body = token_text[1:-1]
    if "\\" not in body:
        return body
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


def service_targets(query: str, tokens: list[Token] | None = None) -> list[str | None]:
    """Return the IRI of every ``SERVICE`` clause (``None`` when it is a variable or unknown).

    Prefixed names are expanded with the query's ``PREFIX`` declarations; a relative IRI is
    returned as written, so it never equals an allow-listed absolute IRI.
    """
    if tokens is None and not _SERVICE_WORD.search(query):
        return []  # cheap answer for the usual case, whatever the length of the query
    toks = tokens if tokens is not None else tokenize(query)
    decl = prefixes(query, toks)
    out: list[str | None] = []
    for i, t in enumerate(toks):
        if t.kind != "word" or t.text.upper() != "SERVICE":
            continue
        target = _service_target(toks, i)
        if target is not None and target.kind == "iri":
            out.append(_iri_value(target.text))
        elif target is not None and target.kind == "pname" and "\\" not in target.text:
            pfx, _, local = target.text.partition(":")
            out.append(decl[pfx] + local if pfx in decl else None)
        else:
            out.append(None)
    return out


def _service_target(toks: list[Token], i: int) -> Token | None:
    j = i + 1
    if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "SILENT":
        j += 1
    return toks[j] if j < len(toks) else None


def check_service(query: str, allow: tuple[str, ...] | list[str] = ()) -> None:
    """Raise :class:`~kg.exceptions.ServiceRefusedError` unless every ``SERVICE`` is allowed.

    Without an allow-list every ``SERVICE`` clause the tokenizer finds is refused (and the query
    workers cannot open IP sockets, :mod:`kg.sparql.sandbox`, so a clause it misses fails too).

    With an allow-list the check does not trust the tokenizer to have read the rest of the query
    as Oxigraph does: **every** occurrence of the letters ``service`` (any case) must be the
    keyword ``SERVICE`` as a token of its own, followed by an ``<IRI>`` (written out, not a
    prefixed name) that is in the list. A ``service`` inside a string, an IRI, a comment or a
    name is refused too, so text that the tokenizer misreads (an unterminated string, a ``<``
    it takes for an IRI) cannot hide a clause. Linear in the length of the query.

    Parameters
    ----------
    query : str
        SPARQL text.
    allow : sequence of str
        Service IRIs that may be called (``KG_SERVICE_ALLOW``); empty refuses every ``SERVICE``.

    Raises
    ------
    ServiceRefusedError
        A ``SERVICE`` clause (or, with an allow-list, the word) that is not allowed.
    """
    if not _SERVICE_WORD.search(query):
        return
    toks = tokenize(query)
    if not allow:
        for target in service_targets(query, toks):
            shown = f"<{target}>" if target else "a variable or unresolvable service"
            raise ServiceRefusedError(
                "SERVICE (federated query) is disabled on this endpoint: it would let a "
                f"query make the server call other hosts (found {shown})"
            )
        return
    listed = ", ".join(f"<{a}>" for a in allow)
    keywords: dict[int, Token | None] = {
        t.start: _service_target(toks, i)
        for i, t in enumerate(toks)
        if t.kind == "word" and t.text.upper() == "SERVICE"
    }
    for m in _SERVICE_WORD.finditer(query):
        if m.start() not in keywords:
            raise ServiceRefusedError(
                f"the word 'service' at character {m.start()} is not a SERVICE clause; with an "
                f"allow-list (KG_SERVICE_ALLOW) it may appear only as SERVICE <IRI>: {listed}"
            )
        target = keywords[m.start()]
        iri = _iri_value(target.text) if target is not None and target.kind == "iri" else None
        if iri is None or iri not in allow:
            shown = f"<{iri}>" if iri else "a variable, prefixed name or unreadable service"
            raise ServiceRefusedError(
                f"SERVICE {shown} is not in the allow-list (KG_SERVICE_ALLOW): {listed}"
            )


#: Deepest nesting of brackets (``{``, ``(``, ``[``, ``<<``) a query may have. Oxigraph's
#: recursive parser overflows the stack at a few thousand nested groups (measured: 4,000
#: braces crash it); the named queries nest at most 7 deep.
MAX_NESTING = 128

_OPENERS = {"{", "(", "["}
_CLOSERS = {"}", ")", "]"}


def check_nesting(query: str, limit: int = MAX_NESTING) -> None:
    """Raise :class:`~kg.exceptions.QueryError` when brackets nest deeper than ``limit``.

    Braces, parentheses, square brackets and quoted triples (``<<`` … ``>>``) count alike; the
    ones inside strings, IRIs and comments do not. Linear in the length of the query.

    Parameters
    ----------
    query : str
        SPARQL text.
    limit : int
        Deepest nesting allowed (:data:`MAX_NESTING`).
    """
    if sum(query.count(c) for c in "{([<") <= limit:
        return  # cannot nest deeper than the number of brackets it opens
    depth = 0
    for t in iter_tokens(query):
        if t.kind == "punct" and t.text in _OPENERS or t.kind == "triple" and t.text[0] == "<":
            depth += 1
            if depth > limit:
                raise QueryError(
                    f"the query nests brackets deeper than {limit} levels (at character "
                    f"{t.start}): deeper nesting is refused before the engine parses it"
                )
        elif t.kind == "punct" and t.text in _CLOSERS or t.kind == "triple" and t.text[-1] == ">":
            depth = max(0, depth - 1)


def _group_bounds(tokens: list[Token], form: str | None) -> tuple[int, int] | None:
    """Return token indexes of the opening and closing brace of the query's WHERE group."""
    start = None
    depth = 0  # of parentheses: a "{" inside (EXISTS { ... } AS ?x) is not the WHERE group
    seen_form = False
    skip_template = form == "CONSTRUCT"
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.kind == "word" and t.text.upper() in _QUERY_FORMS:
            seen_form = True
        elif seen_form and t.text == "(":
            depth += 1
        elif seen_form and t.text == ")":
            depth -= 1
        elif seen_form and depth == 0 and t.text == "{":
            if skip_template and tokens[i - 1].text.upper() == "CONSTRUCT":
                i = _matching(tokens, i)  # the CONSTRUCT template, not the pattern
                skip_template = False
            else:
                start = i
                break
        i += 1
    if start is None:
        return None
    return start, _matching(tokens, start)


def _matching(tokens: list[Token], open_index: int) -> int:
    depth = 0
    for k in range(open_index, len(tokens)):
        if tokens[k].text == "{":
            depth += 1
        elif tokens[k].text == "}":
            depth -= 1
            if depth == 0:
                return k
    raise QueryError("unbalanced braces in the query")


def _value_text(name: str, term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term)  # pyoxigraph's N-Triples form: escaped, never raw user text
    raise QueryError(f"parameter {name!r}: a {type(term).__name__} cannot be sent in VALUES")


def inject_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Return the query with its variables bound by ``VALUES`` blocks, as if bound throughout.

    A block binding every variable opens the query's WHERE group, and each nested group
    (``{ … }`` of a UNION branch, OPTIONAL, EXISTS, GRAPH, sub-select…) that mentions one of the
    variables opens with a block for those. SPARQL evaluates groups bottom-up, so a single block
    at the top would leave ``{ BIND(?node AS ?x) } UNION { … }`` or a sub-select seeing the
    variable unbound; one block per group gives the result of substituting the value everywhere,
    as pyoxigraph's ``substitutions`` and rdflib's ``initBindings`` do. Groups inside
    ``LATERAL { … }`` get no block: they see the left-hand side's bindings.

    The terms are written with pyoxigraph's own serialisation (``str(term)``), which escapes
    every character that could end a literal or an IRI; values are never pasted as raw text.

    Parameters
    ----------
    query : str
        SPARQL text (SELECT, CONSTRUCT, DESCRIBE or ASK with a WHERE group).
    bindings : mapping of str to NamedNode or Literal
        Variable name (without ``?``) to term.

    Raises
    ------
    QueryError
        A variable name is not a SPARQL variable name, a value is a blank node or triple, or the
        query has no WHERE group.
    """
    if not bindings:
        return query
    for name in bindings:
        if not _VARNAME.match(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    values = {k: _value_text(k, v) for k, v in bindings.items()}

    def block(names: list[str]) -> str:
        row = " ".join(values[k] for k in names)
        return f"VALUES ({' '.join('?' + k for k in names)}) {{ ({row}) }}"

    tokens = tokenize(query)
    bounds = _group_bounds(tokens, query_form(query, tokens))
    if bounds is None:
        raise QueryError("parameters need a query with a WHERE { ... } group")
    first, last = bounds
    open_tok, close_tok = tokens[first], tokens[last]
    if (
        first >= 2
        and tokens[first - 1].text.upper() == "WHERE"
        and tokens[first - 2].text.upper() == "CONSTRUCT"
    ):
        # CONSTRUCT WHERE { triples } allows nothing but triples: spell the template out.
        pattern = query[open_tok.end : close_tok.start]
        where = tokens[first - 1]
        spelled = f"{query[: where.start]}{{{pattern}}} WHERE {{{pattern}}}{query[close_tok.end :]}"
        return inject_values(spelled, bindings)
    edits: list[tuple[int, str]] = []
    if _opens_subselect(tokens, first):
        # WHERE { SELECT ... } is a sub-select, which cannot share its group: nest it.
        edits += [(open_tok.end, f" {block(list(values))} {{"), (close_tok.start, "} ")]
    else:
        edits.append((open_tok.end, f" {block(list(values))} "))
    # Inside LATERAL { … } the variables come from the left-hand side, already bound by the
    # enclosing group's block; Oxigraph refuses a second binding there (SEP-0006 scoping).
    lateral = [
        (i + 1, _matching(tokens, i + 1))
        for i in range(first + 1, last)
        if tokens[i].kind == "word"
        and tokens[i].text.upper() == "LATERAL"
        and tokens[i + 1].text == "{"
    ]
    for i in range(first + 1, last):
        tok = tokens[i]
        if tok.text != "{" or tok.data or _opens_subselect(tokens, i):
            continue
        if any(a <= i <= b for a, b in lateral):
            continue
        end = _matching(tokens, i)
        used = {t.text[1:] for t in tokens[i + 1 : end] if t.kind == "var"}
        names = [k for k in values if k in used]
        if names:
            edits.append((tok.end, f" {block(names)} "))
    out = query
    for pos, text in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[:pos] + text + out[pos:]
    return out


def _opens_subselect(tokens: list[Token], brace: int) -> bool:
    nxt = tokens[brace + 1] if brace + 1 < len(tokens) else None
    return nxt is not None and nxt.kind == "word" and nxt.text.upper() == "SELECT"


def uses_lateral(query: str) -> bool:
    """Whether the query has a ``LATERAL { … }`` group (outside strings, IRIs and comments)."""
    if "LATERAL" not in query.upper():
        return False
    toks = tokenize(query)
    return any(
        t.kind == "word" and t.text.upper() == "LATERAL" and toks[i + 1].text == "{"
        for i, t in enumerate(toks[:-1])
    )


def group_concat_columns(query: str) -> dict[str, str]:
    """Return ``{variable: separator}`` for every ``(GROUP_CONCAT(…) AS ?variable)``.

    The separator is the one given with ``separator=`` (the default is a space). SPARQL leaves
    the order of the concatenated values undefined; :func:`kg.sparql.named.run_query` sorts
    them so that every store gives the same string.
    """
    if "GROUP_CONCAT" not in query.upper():
        return {}
    toks = tokenize(query)
    out: dict[str, str] = {}
    for i, t in enumerate(toks):
        if not (t.kind == "word" and t.text.upper() == "GROUP_CONCAT"):
            continue
        depth, j, sep = 0, i + 1, " "
        while j < len(toks):
            if toks[j].text == "(":
                depth += 1
            elif toks[j].text == ")":
                depth -= 1
                if depth == 0:
                    break
            elif (
                toks[j].kind == "word"
                and toks[j].text.upper() == "SEPARATOR"
                and toks[j + 2].kind == "string"
            ):
                sep = _string_value(toks[j + 2].text)
            j += 1
        if j + 2 < len(toks) and toks[j + 1].text.upper() == "AS" and toks[j + 2].kind == "var":
            out[toks[j + 2].text[1:]] = sep
    return out


def _string_value(token: str) -> str:
    quote = 3 if token[:3] in ('"""', "'''") else 1
    body = token[quote:-quote]
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m[1], m[1]), body)


def without_lateral(query: str) -> str:
    """Rewrite ``LATERAL { … }`` (Oxigraph, SEP-0006) as SPARQL 1.1, for engines without it.

    The named queries use LATERAL only where the group depends on the left-hand side through
    join variables: ``LATERAL { OPTIONAL {…} … }`` then means the same OPTIONALs inline, and any
    other ``LATERAL { P }`` the same as the join ``{ P }``. Only the evaluation order differs,
    which is the point of LATERAL on Oxigraph. (Used to give rdflib the named queries;
    ``tests/scale/test_lateral_rewrite.py`` checks the answers agree.)
    """
    toks = tokenize(query)
    edits: list[tuple[int, int]] = []  # spans of text to drop
    for i, t in enumerate(toks[:-1]):
        if not (t.kind == "word" and t.text.upper() == "LATERAL" and toks[i + 1].text == "{"):
            continue
        close = _matching(toks, i + 1)
        first = toks[i + 2]
        if first.kind == "word" and first.text.upper() == "OPTIONAL":
            edits += [(t.start, toks[i + 1].end), (toks[close].start, toks[close].end)]
        else:
            edits.append((t.start, t.end))
    for start, end in sorted(edits, reverse=True):
        query = query[:start] + query[end:]
    return query
