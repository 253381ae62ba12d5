"""``kg export`` with the explorer's options: the part of a network, the subtitle, the colours.

Expected values: node and edge counts from a filter written here over the projection
(networkx, independently of :func:`kg.network.subset.select`), colours from palette.json.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.network.projection import project
from kg.viz.palette import group_colours
from tests.support import shipped_backend

ROOT = Path(__file__).resolve().parents[2]
PALETTE = json.loads((ROOT / "kg" / "viz" / "palette.json").read_text(encoding="utf-8"))
runner = CliRunner()


def _svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_export_one_country_names_it_in_the_subtitle(tmp_path: Path) -> None:
    g = project("funding", backend=shipped_backend())
    lu = [v for v, d in g.nodes(data=True) if d.get("country") == "LU"]
    h = g.subgraph(lu)
    out = tmp_path / "lu.svg"
    res = runner.invoke(
        app,
        ["export", "--network", "funding", "--country", "LU", "--size", "brokerage_total",
         "--labels", "10", "--out", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    texts = _svg_texts(out)
    n, m = h.number_of_nodes(), h.number_of_edges()
    expected = f"Luxembourg · colour: kind · size: brokerage total · {n} nodes, {m} edges"
    assert any(t.startswith(expected) for t in texts), texts[:5]
    assert "Funding network" in texts
    assert f"{n} nodes, {m} edges ->" in res.output


def test_export_relation_and_kind_filters(tmp_path: Path) -> None:
    g = project("all", backend=shipped_backend())
    keep = {v for v, d in g.nodes(data=True) if d.get("kind") == "cso"}
    edges = [
        (u, v)
        for u, v, d in g.edges(data=True)
        if u in keep and v in keep and d["relation"] == "membership"
    ]
    out = tmp_path / "cso.svg"
    res = runner.invoke(
        app,
        ["export", "--network", "all", "--kind", "cso", "--relation", "membership", "--out", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    nodes = {x for e in edges for x in e}
    assert f"{len(nodes)} nodes, {len(edges)} edges ->" in res.output
    assert any("relations: membership" in t for t in _svg_texts(out))


def test_export_bad_options_exit_2_with_one_line(tmp_path: Path) -> None:
    for args, word in (
        (["--size", "shoe"], "--size shoe"),
        (["--country", "XX"], "--country XX"),
        (["--relation", "friendship"], "--relation friendship"),
    ):
        out = tmp_path / "x.svg"
        res = runner.invoke(app, ["export", "--network", "funding", *args, "--out", str(out)])
        assert res.exit_code == 2, res.output
        assert word in res.output and "Traceback" not in res.output
        assert not out.exists()


def test_position_fill_only_for_organisation_assessments(tmp_path: Path) -> None:
    # The shipped graph states positions for groups (countries, kinds) only: none fills a node.
    out = tmp_path / "pos.svg"
    res = runner.invoke(
        app, ["export", "--network", "all", "--colour", "position", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    text = out.read_text()
    g = project("all", backend=shipped_backend())
    assert not any(d.get("position_level") == "organisation" for _, d in g.nodes(data=True))
    assert f"not assessed ({g.number_of_nodes()})" in text
    # The legend lists all five positions, each with no node.
    from kg.entities.profile import vocab_labels

    names = vocab_labels(backend=shipped_backend())["position"]
    for position in PALETTE["positions"]:
        assert f"{names[position]} (0)" in text, position


def test_one_colour_per_value_whatever_the_counts() -> None:
    fixed = PALETTE["category_colours"]["kind"]
    a = group_colours(["cso", "municipality", "municipality"], key="kind")
    b = group_colours(["cso", "cso", "cso", "ministry"], key="kind")
    assert a["cso"] == b["cso"] == fixed["cso"]
    assert a["municipality"] == fixed["municipality"]
    # An unknown value takes a colour no listed value of the view uses.
    c = group_colours(["cso", "brand-new-kind"], key="kind")
    assert c["brand-new-kind"] not in {fixed["cso"]}
