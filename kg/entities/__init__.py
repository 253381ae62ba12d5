"""Named things of the graph: organisation profiles, reference resolution and name search.

:mod:`kg.entities.profile` runs the ``entities/*`` and ``org-profile`` named queries and folds
their rows into a profile.
"""

__all__: list[str] = []
