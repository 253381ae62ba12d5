"""One rule for edge weights across the metrics (issue 13): centrality accepted negative
weights (an in-degree of -5) where structural holes refused them, and weights of 1e308
overflowed silently (a triangle's constraint 0.0 instead of 1.125)."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from kg.exceptions import InvalidParameterError
from kg.metrics.centrality import (
    betweenness,
    centrality,
    closeness,
    degree,
    eigenvector,
    in_degree,
    pagerank,
)
from kg.metrics.structural_holes import structural_holes

MEASURES = [
    lambda g: in_degree(g, weight="w"),
    lambda g: degree(g, weight="w"),
    lambda g: betweenness(g, weight="w"),
    lambda g: closeness(g, weight="w"),
    lambda g: eigenvector(g, weight="w"),
    lambda g: pagerank(g, weight="w"),
    lambda g: structural_holes(g, weight="w"),
    lambda g: centrality(g, weight="w"),
]


@pytest.mark.parametrize("value", [-5.0, math.inf, math.nan, 1e308, "heavy"])
@pytest.mark.parametrize("measure", range(len(MEASURES)))
def test_every_measure_refuses_the_same_weights(measure, value):
    g = nx.DiGraph([("a", "b", {"w": value}), ("b", "c", {"w": 1.0}), ("c", "a", {"w": 1e308})])
    if value == 1e308:
        g["b"]["c"]["w"] = 1e308
    with pytest.raises(InvalidParameterError) as info:
        MEASURES[measure](g)
    assert info.value.param == "weight" and "'w'" in str(info.value)


def test_good_weights_still_work():
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 2.0), ("b", "c", 1.0), ("c", "a", 1e300)], weight="w")
    assert degree(g, weight="w").values["a"] == pytest.approx(1e300 + 2.0)
    triangle = nx.Graph(
        [("a", "b", {"w": 1e300}), ("b", "c", {"w": 1e300}), ("c", "a", {"w": 1e300})]
    )
    assert structural_holes(triangle, weight="w").as_dict("constraint")["a"] == pytest.approx(1.125)
