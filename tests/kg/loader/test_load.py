"""Loading: bad input is reported with file and line, and nothing is half loaded."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.exceptions import LoadError
from kg.loader.files import SourceFile, discover
from kg.loader.load import load_store

GOOD = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
<http://example.org/a> skos:prefLabel "A" .
"""


def _file(tmp_path: Path, name: str, text: str) -> SourceFile:
    p = tmp_path / name
    p.write_text(text)
    return SourceFile(p, ox.NamedNode(f"http://example.org/graph/{name}"))


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('PREFIX a: <http://x/>\n\na:b a:c "unterminated .\n', 3, "syntax"),
        ("PREFIX a: <http://x/>\na:b a:c a:d .\nnope:b a:c a:d .\n", 3, "nope"),
        (
            'PREFIX a: <http://x/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n\na:b a:c "2020-13-45"^^xsd:date .\n',
            4,
            "xsd:date",
        ),
        (
            'PREFIX a: <http://x/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\na:b a:c "12,5"^^xsd:decimal .\n',
            3,
            "xsd:decimal",
        ),
        (
            'PREFIX a: <http://x/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\na:b a:c "twenty"^^xsd:integer .\n',
            3,
            "xsd:integer",
        ),
    ],
    ids=["unterminated-string", "unknown-prefix", "invalid-date", "bad-decimal", "bad-integer"],
)
def test_bad_file_names_file_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    bad = _file(tmp_path, "bad.ttl", text)
    with pytest.raises(LoadError) as info:
        load_store(files=[_file(tmp_path, "good.ttl", GOOD), bad])
    msg = str(info.value)
    assert f"bad.ttl:{line}" in msg
    assert fragment in msg


def test_nothing_half_loaded(tmp_path: Path) -> None:
    """A bad file after a good one leaves an existing on-disk store untouched."""
    store_dir = tmp_path / "store"
    good = _file(tmp_path, "good.ttl", GOOD)
    store = load_store(files=[good], path=store_dir)
    before = len(store)
    del store
    bad = _file(tmp_path, "bad.ttl", "this is not turtle")
    with pytest.raises(LoadError):
        load_store(files=[good, bad], path=store_dir)
    reopened = ox.Store(str(store_dir))
    assert len(reopened) == before


def test_shipped_graph_loads_into_named_graphs(store: ox.Store) -> None:
    graphs = {g.value for g in store.named_graphs()}
    assert any(g.endswith("ontology/mi.ttl") for g in graphs)
    assert any(g.endswith("ttl/sources.ttl") for g in graphs)


def test_derived_shortcuts(tmp_path: Path) -> None:
    """Awards, periods and assessments yield the derived shortcuts used by queries."""
    text = """PREFIX mi: <https://w3id.org/integration-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
<http://x/aw> a mi:FundingAward ; schema:funder <http://x/f> ; mi:recipient <http://x/r> ;
  dcterms:temporal [ time:hasBeginning [ time:inXSDgYear "2016"^^xsd:gYear ] ;
                     time:hasEnd [ time:inXSDDate "2018-06-30"^^xsd:date ] ] .
"""
    store = load_store(files=[_file(tmp_path, "a.ttl", text)])
    derived = ox.NamedNode("https://w3id.org/integration-kg/graph/derived")
    mi = "https://w3id.org/integration-kg/ontology#"
    quads = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in store.quads_for_pattern(None, None, None, derived)
    }
    assert ("http://x/f", mi + "providedFundingTo", "http://x/r") in quads
    assert ("http://x/aw", mi + "startYear", "2016") in quads
    assert ("http://x/aw", mi + "endYear", "2018") in quads


def test_repeated_triples_are_kept_once(tmp_path: Path) -> None:
    """A triple stated in two files is counted once through the union (and stays in the first)."""
    amount = """PREFIX schema: <https://schema.org/>
<http://example.org/a> schema:value 5 ; <http://example.org/only> "b" .
"""
    first = _file(
        tmp_path, "a.ttl", GOOD + "<http://example.org/a> <https://schema.org/value> 5 .\n"
    )
    second = _file(tmp_path, "b.ttl", amount)
    store = load_store(files=[first, second])
    total = store.query(
        "SELECT (SUM(?v) AS ?s) (COUNT(*) AS ?n) WHERE { ?x <https://schema.org/value> ?v }",
        use_default_graph_as_union=True,
    )
    row = next(iter(total))
    assert (row["s"].value, row["n"].value) == ("5", "1")  # not 10 / 2
    value = ox.NamedNode("https://schema.org/value")
    graphs = {q.graph_name.value for q in store.quads_for_pattern(None, value, None)}
    assert graphs == {first.graph.value}
    # the rest of the second file is there
    only = ox.NamedNode("http://example.org/only")
    assert [q.graph_name for q in store.quads_for_pattern(None, only, None)] == [second.graph]


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
def test_repeats_found_across_many_files(tmp_path: Path, on_disk: bool) -> None:
    """Files are checked while later ones load: a repeat between the first and the last of
    many files, and one stated in three files, are still kept once (in memory and on disk)."""
    shared = "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    files = [_file(tmp_path, "f00.ttl", shared)]
    for i in range(1, 12):
        body = "".join(
            f"<http://example.org/n{i}-{j}> <http://example.org/p> {j} .\n" for j in range(200)
        )
        files.append(_file(tmp_path, f"f{i:02}.ttl", body + (shared if i in (6, 11) else "")))
    store = load_store(files=files, path=tmp_path / "db" if on_disk else None)
    p = ox.NamedNode("http://example.org/p")
    s = ox.NamedNode("http://example.org/s")
    assert [q.graph_name for q in store.quads_for_pattern(s, p, None)] == [files[0].graph]
    assert len(list(store.quads_for_pattern(None, p, None))) == 1 + 11 * 200


def test_bad_literal_in_an_early_file_is_reported_first(tmp_path: Path) -> None:
    """Checks run beside the loading; the error reported is still the first file's."""
    bad = 'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n<http://x/a> <http://x/p> "x"^^xsd:date .\n'
    files = [_file(tmp_path, "a.ttl", bad)]
    files += [_file(tmp_path, f"b{i}.ttl", bad.replace('"x"', '"y"')) for i in range(5)]
    with pytest.raises(LoadError, match=r'a.ttl:2: invalid xsd:date literal "x"'):
        load_store(files=files)


def test_derivation_does_not_restate_data(tmp_path: Path) -> None:
    """A shortcut already stated in a file is not added again to the derived graph."""
    text = """PREFIX mi: <https://w3id.org/integration-kg/ontology#>
PREFIX schema: <https://schema.org/>
<http://x/aw> a mi:FundingAward ; schema:funder <http://x/f> ; mi:recipient <http://x/r> .
<http://x/f> mi:providedFundingTo <http://x/r> .
"""
    store = load_store(files=[_file(tmp_path, "a.ttl", text)])
    pft = ox.NamedNode("https://w3id.org/integration-kg/ontology#providedFundingTo")
    assert len(list(store.quads_for_pattern(None, pft, None))) == 1


def test_ill_typed_literal_in_a_later_file_loads_nothing(tmp_path: Path) -> None:
    bad = _file(
        tmp_path,
        "z.ttl",
        'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n<http://x/a> <http://x/p> "maybe"^^xsd:boolean .\n',
    )
    store_dir = tmp_path / "store"
    with pytest.raises(LoadError, match=r"z.ttl:2: invalid xsd:boolean"):
        load_store(files=[_file(tmp_path, "a.ttl", GOOD), bad], path=store_dir)
    assert not store_dir.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".store.loading-")]


def test_discover_lists_ontology_vocab_and_data() -> None:
    names = [f.path.name for f in discover()]
    assert "mi.ttl" in names and "kind.ttl" in names and "sources.ttl" in names
