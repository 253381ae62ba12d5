"""Reconciliation during an import: the same organisation once, and nothing merged silently.

Each organisation an import names is looked up in the graph it is imported into
(:class:`kg.reconcile.OrgIndex`):

- an exact identifier match (``GB-CHC-1164883`` in both) is the same organisation: the import
  reuses the existing IRI (and adds its identifiers and quote to it);
- a ``proposed`` or ``ambiguous`` match (names alike, countries agreeing) is never merged: the
  incoming organisation keeps its own IRI and an ``mi:candidateMatch`` statement per candidate
  (candidate, score, verdict, reasons), and a row per candidate goes to the review file
  ``DIR/<name>.review.csv`` with an empty ``decision`` column;
- a decision in that file (``same`` or ``different``), given back with ``kg import --review
  FILE``, is applied on this and every later import of the same file: ``same`` reuses the
  candidate's IRI, ``different`` drops the candidate statement.

Organisations with the same name in different countries stay apart: the incoming IRI of an
unregistered organisation is minted from name *and* country, and the reconciler only proposes
candidates whose country agrees.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.exceptions import ImportInputError
from kg.importers.common import IncomingOrg

__all__ = [
    "DECISIONS",
    "REVIEW_COLUMNS",
    "Reconciler",
    "decided_rows",
    "read_decisions",
    "review_csv",
]

REVIEW_COLUMNS = (
    "incoming",
    "incoming_name",
    "incoming_country",
    "incoming_identifiers",
    "record",
    "verdict",
    "candidate",
    "candidate_label",
    "candidate_country",
    "score",
    "reasons",
    "decision",
)
#: The values of the review file's ``decision`` column (empty: not decided yet).
DECISIONS = ("same", "different", "")


def decided_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of a review file that carry a decision (kept when it is rewritten)."""
    decisions = read_decisions(path)
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return [
        {c: r.get(c) or "" for c in REVIEW_COLUMNS}
        for r in rows
        if (r.get("incoming"), r.get("candidate")) in decisions
    ]


def read_decisions(path: Path) -> dict[tuple[str, str], str]:
    """Read the decisions of a review file: ``(incoming IRI, candidate IRI) -> same|different``.

    Raises
    ------
    ImportInputError
        The file is not a review CSV, or a decision is not ``same``, ``different`` or empty
        (the message names the file and line).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportInputError(f"{path}: cannot read review file ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = {"incoming", "candidate", "decision"} - set(reader.fieldnames or ())
    if missing:
        raise ImportInputError(f"{path}: line 1: review file lacks columns {sorted(missing)}")
    out: dict[tuple[str, str], str] = {}
    for n, row in enumerate(reader, start=2):
        d = (row.get("decision") or "").strip().lower()
        if d not in DECISIONS:
            raise ImportInputError(
                f"{path}: line {n}: decision {row.get('decision')!r} "
                "must be same, different or empty"
            )
        if d:
            out[(row["incoming"], row["candidate"])] = d
    return out


def review_csv(rows: Iterable[dict[str, str]], decisions: dict[tuple[str, str], str]) -> str:
    """Return the review file's text: one row per candidate, decisions kept."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=REVIEW_COLUMNS, lineterminator="\n")
    w.writeheader()
    seen: set[tuple[str, str]] = set()
    for r in rows:
        key = (r["incoming"], r["candidate"])
        if key in seen:
            continue
        seen.add(key)
        w.writerow({**r, "decision": decisions.get(key, "")})
    return buf.getvalue()


@dataclass
class Reconciler:
    """Reconcile incoming organisations against an :class:`~kg.reconcile.OrgIndex`.

    Parameters
    ----------
    index : OrgIndex or None
        The organisations already in the graph (``None``: an empty graph).
    decisions : dict
        Review decisions, ``(incoming IRI, candidate IRI) -> same|different``.
    """

    index: object | None
    decisions: dict[tuple[str, str], str] = field(default_factory=dict)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __call__(
        self, inc: IncomingOrg, own: str
    ) -> tuple[str, bool, list[tuple[str, float, str, tuple[str, ...]]]]:
        """Return (IRI to use, whether it already exists, undecided candidates)."""
        for (incoming, cand), d in self.decisions.items():
            if incoming == own and d == "same":
                return cand, True, []
        if self.index is None:
            return own, False, []
        match = self.index.match(  # type: ignore[attr-defined]
            inc.name, country=inc.country, identifiers=inc.identifiers, kind=inc.kind, limit=5
        )
        if match.verdict == "same" and match.candidates:
            return match.candidates[0].iri, True, []
        cands = [c for c in match.candidates if c.iri != own]
        if match.verdict in ("proposed", "ambiguous"):
            from kg.reconcile import AMBIGUITY_MARGIN, PROPOSE_THRESHOLD

            # proposed: the one candidate; ambiguous: those the reconciler could not tell apart
            keep = (
                cands[:1]
                if match.verdict == "proposed"
                else [c for c in cands if c.score >= PROPOSE_THRESHOLD - AMBIGUITY_MARGIN]
            )
            out = []
            for c in keep:
                if self.decisions.get((own, c.iri)) == "different":
                    continue
                self.labels[c.iri] = (c.label, c.country or "")
                # kg.reconcile scores 0-100; the graph's mi:matchScore is 0-1
                score = min(1.0, max(0.0, float(c.score) / 100))
                out.append((c.iri, score, match.verdict, tuple(c.reasons)))
            return own, False, out
        return own, False, []

    def annotate(self, rows: list[dict[str, str]]) -> list[dict[str, str]]:
        """Add the candidates' labels and countries to review rows."""
        for r in rows:
            label, country = self.labels.get(r["candidate"], ("", ""))
            r["candidate_label"], r["candidate_country"] = label, country
        return rows


def open_index(backend: object) -> object | None:
    """Build the organisation index of ``backend`` (``None`` if it has no organisations)."""
    from kg.reconcile import OrgIndex

    return OrgIndex.from_backend(backend)
