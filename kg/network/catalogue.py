"""The networks on offer: their names, titles and one-line descriptions.

Every network is a projection defined by ``queries/projections/*.rq``
(:func:`kg.network.projection.project`); ``all`` is the multiplex of every relation.

Examples
--------
>>> network_title("funding")
'Funding network'
>>> network_title("something-else")
'Something-else network'
"""

from __future__ import annotations

import difflib

__all__ = ["NETWORKS", "NETWORK_INFO", "network_title", "unknown_network_message"]

#: The projections, in the order the explorer lists them.
NETWORKS = (
    "funding",
    "funding-programmes",
    "membership",
    "partnership",
    "referral",
    "placement",
    "revenue",
    "all",
    "org-programme",
    "org-umbrella",
)
#: Title and description of each network.
NETWORK_INFO: dict[str, tuple[str, str]] = {
    "funding": (
        "Funding",
        "Funder → recipient; an award without a funder starts at its programme.",
    ),
    "funding-programmes": (
        "Funding through programmes",
        "Funder → programme → recipient: the cascade of each award.",
    ),
    "membership": ("Membership", "Member → umbrella body, network, council or platform."),
    "partnership": ("Partnership", "Organisations that work together (undirected)."),
    "referral": ("Referral", "One organisation orients people or volunteers to another."),
    "placement": (
        "Placement",
        "Sender (or the project, if no sender is named) → host of internships and placements.",
    ),
    "revenue": ("Shared revenue", "Revenues passed from one organisation to another."),
    "all": ("All relations", "Every relation above in one multiplex network."),
    "org-programme": ("Organisations × programmes", "Bipartite: recipients and programmes."),
    "org-umbrella": ("Organisations × umbrella bodies", "Bipartite: members and bodies."),
}


def network_title(name: str) -> str:
    """Return the title a figure of network ``name`` carries."""
    return f"{NETWORK_INFO.get(name, (name.capitalize(),))[0]} network"


def unknown_network_message(name: str, known: list[str] | tuple[str, ...] = NETWORKS) -> str:
    """Return "unknown network 'x'; did you mean ...? (choose one of: ...)" for ``name``."""
    close = difflib.get_close_matches(name, list(known), n=2, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return f"unknown network {name!r}{hint} (choose one of: {', '.join(known)})"
