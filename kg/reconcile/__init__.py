"""Reconciliation: the same organisation, once (identifiers first, then name and country).

:class:`OrgIndex` matches incoming organisations against existing ones and answers each with a
:class:`Match` (verdict ``same``, ``proposed``, ``ambiguous`` or ``new``, and scored
:class:`Candidate` s); see :mod:`kg.reconcile.index` for the rules and thresholds.

Examples
--------
>>> from kg.reconcile import OrgIndex, OrgRecord
>>> index = OrgIndex.from_records([OrgRecord("ex:1", ("Caritas",), "LU", "cso", ())])
>>> index.match("caritas", country="lu").candidates[0].iri
'ex:1'
"""

from kg.reconcile.identifiers import normalise_identifier, normalise_identifiers
from kg.reconcile.index import (
    AMBIGUITY_MARGIN,
    CANDIDATE_CUTOFF,
    PROPOSE_THRESHOLD,
    Candidate,
    Match,
    OrgIndex,
    OrgRecord,
    Verdict,
    name_form,
    name_score,
    organisations,
)

__all__ = [
    "AMBIGUITY_MARGIN",
    "CANDIDATE_CUTOFF",
    "PROPOSE_THRESHOLD",
    "Candidate",
    "Match",
    "OrgIndex",
    "OrgRecord",
    "Verdict",
    "name_form",
    "name_score",
    "normalise_identifier",
    "normalise_identifiers",
    "organisations",
]
