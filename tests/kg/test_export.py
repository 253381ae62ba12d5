"""Static exports (kg.viz.figure, kg.export) and the seeded layout."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph as ig
import networkx as nx
import pytest
import rdflib

from kg.entities.profile import vocab_labels
from kg.exceptions import InvalidParameterError, ProjectionError
from kg.export import EXPORT_FORMATS, export_network
from kg.export.jsonld import network_jsonld
from kg.viz.figure import export_figure
from kg.viz.layout import layout_positions
from kg.viz.palette import MISSING_COLOUR, NODE_PALETTE, OTHER_COLOUR, RELATION_COLOURS
from tests.support import shipped_backend

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graphs():
    from kg.network.projection import project

    return {
        name: project(name, backend=shipped_backend()) for name in ("funding", "partnership", "all")
    }


def test_layout_deterministic_and_bounded():
    g = nx.disjoint_union_all([nx.path_graph(5), nx.star_graph(8), nx.empty_graph(3)])
    a = layout_positions(g, seed=7)
    assert a == layout_positions(g, seed=7)
    assert a != layout_positions(g, seed=8)
    assert set(a) == set(g)
    xs, ys = zip(*a.values(), strict=True)
    assert min(xs) >= 0 and min(ys) >= 0 and max(max(xs), max(ys)) == pytest.approx(1000)
    assert len(set(a.values())) == g.number_of_nodes()  # no two nodes on one spot
    assert layout_positions(nx.Graph()) == {}
    assert layout_positions(nx.Graph([(1, 1)])) == {1: (0.0, 0.0)}


def test_one_palette_for_the_figures_and_the_page():
    # One file: the page imports kg/viz/palette.json at build time, the figures read it.
    palette = json.loads((ROOT / "kg" / "viz" / "palette.json").read_text())
    assert tuple(palette["node_palette"]) == NODE_PALETTE
    assert palette["other_colour"] == OTHER_COLOUR
    assert palette["missing_colour"] == MISSING_COLOUR
    assert palette["relation_colours"] == RELATION_COLOURS
    js = (ROOT / "explorer" / "src" / "palette.js").read_text()
    assert 'from "../../kg/viz/palette.json"' in js
    assert not re.search(r'"#[0-9A-Fa-f]{6}"', js)  # no colour literals of its own
    py = (ROOT / "kg" / "viz" / "figure.py").read_text()
    for colour in (*palette["node_palette"], *palette["relation_colours"].values()):
        assert colour.lower() not in py.lower()  # the figure module restates none of them
    # The built bundle carries the file's colours (built by `make web` before the tests).
    bundle = "".join(p.read_text() for p in (ROOT / "api" / "static" / "explorer").glob("*.js"))
    for colour in (*palette["node_palette"], *palette["relation_colours"].values()):
        assert colour in bundle


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_figure_formats(graphs, tmp_path, fmt):
    out = export_figure(
        graphs["funding"], tmp_path / f"f.{fmt}", labels=vocab_labels(backend=shipped_backend())
    )
    data = out.read_bytes()
    magic = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF"}[fmt]
    assert data.startswith(magic)


def test_figure_svg_has_title_legend_and_is_reproducible(graphs, tmp_path):
    output_dir = ROOT / "test-output" / "export"
    output_dir.mkdir(parents=True, exist_ok=True)
    labels = vocab_labels(backend=shipped_backend())
    a = export_figure(graphs["all"], tmp_path / "a.svg", labels=labels)
    b = export_figure(graphs["all"], tmp_path / "b.svg", labels=labels)
    assert a.read_bytes() == b.read_bytes()
    text = a.read_text()
    assert "All relations network" in text
    assert "civil-society organisation / NGO" in text  # legend uses readable labels
    assert "Relations" in text and "partnership" in text
    root = ET.fromstring(a.read_bytes())
    assert root.tag.endswith("svg")
    export_figure(graphs["all"], output_dir / "figure-all.png", labels=labels)
    export_figure(
        graphs["funding"],
        output_dir / "figure-funding-country.png",
        color_by="country",
        labels=labels,
    )


def test_figure_errors(graphs, tmp_path):
    with pytest.raises(ProjectionError, match="unknown figure format"):
        export_figure(graphs["funding"], tmp_path / "x.bmp")
    with pytest.raises(ProjectionError, match="does not exist"):
        export_figure(graphs["funding"], tmp_path / "missing" / "x.svg")
    with pytest.raises(ProjectionError, match="color_by"):
        export_figure(graphs["funding"], tmp_path / "x.svg", color_by="shoe size")
    empty = nx.DiGraph(name="empty")
    assert export_figure(empty, tmp_path / "empty.svg").exists()


@pytest.mark.parametrize("name", ["funding", "partnership", "all"])
def test_graphml_and_gexf_open_in_networkx_and_igraph(graphs, tmp_path, name):
    g = graphs[name]
    gml = export_network(g, tmp_path / "n.graphml")
    h = nx.read_graphml(gml)
    assert h.number_of_nodes() == g.number_of_nodes()
    i = ig.Graph.Read_GraphML(str(gml))
    assert i.vcount() == g.number_of_nodes()
    assert "label" in i.vs.attributes() and "quotes" in i.es.attributes()
    gexf = export_network(g, tmp_path / "n.gexf")
    h2 = nx.read_gexf(gexf)
    assert h2.number_of_nodes() == g.number_of_nodes()
    i2 = ig.Graph.from_networkx(h2)
    assert i2.vcount() == g.number_of_nodes()


def test_jsonld_is_rdf_with_the_project_context(graphs, tmp_path):
    out = export_network(graphs["funding"], tmp_path / "f.jsonld")
    doc = json.loads(out.read_text())
    assert doc["type"] == "net:Network" and doc["nodes"] and doc["edges"]
    rg = rdflib.Graph().parse(out, format="json-ld")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    net = rdflib.Namespace("https://w3id.org/integration-kg/network#")
    asti = rdflib.URIRef("https://w3id.org/integration-kg/id/org/lu-asti")
    assert (asti, skos.prefLabel, None) in rg
    assert (
        asti,
        rdflib.URIRef("https://w3id.org/integration-kg/ontology#country"),
        rdflib.URIRef("https://w3id.org/integration-kg/vocab/country/LU"),
    ) in rg
    edges = list(rg.subjects(rdflib.RDF.type, net.Edge))
    assert len(edges) == graphs["funding"].number_of_edges()
    derived = {str(o) for o in rg.objects(None, prov.wasDerivedFrom)}
    assert any("/id/award/" in d for d in derived)


def test_jsonld_of_multigraph_keeps_relations(graphs):
    doc = network_jsonld(graphs["all"])
    assert {e["relation"] for e in doc["edges"]} >= {"funding", "partnership", "membership"}


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_export_format(graphs, tmp_path, fmt):
    suffix = {"jsonld": "jsonld"}.get(fmt, fmt)
    out = export_network(graphs["partnership"], tmp_path / f"p.{suffix}", fmt)
    assert out.stat().st_size > 100


def test_export_errors(graphs, tmp_path):
    # The core names its parameter (fmt), not a command-line flag.
    with pytest.raises(InvalidParameterError, match="unknown format 'xls'") as info:
        export_network(graphs["funding"], tmp_path / "f.xls")
    assert info.value.param == "fmt" and "--format" not in str(info.value)
    with pytest.raises(ProjectionError, match="does not exist"):
        export_network(graphs["funding"], tmp_path / "nope" / "f.jsonld")
