"""The synthetic graph generator: deterministic, conforming, streaming, with located errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.exceptions import LoadError
from kg.loader.load import parse_file
from kg.synthetic import TRIPLES_PER_ORG, generate, orgs_for_triples
from kg.validate.shacl import validate

SHAPES = "https://w3id.org/integration-kg/shapes#"


def _digest(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = generate(150, 7, tmp_path / "a", chunk=50, errors=0.02)
    b = generate(150, 7, tmp_path / "b", chunk=50, errors=0.02)
    assert a.files == b.files and len(a.files) >= 5
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    generate(150, 8, tmp_path / "c", chunk=50)
    assert _digest(tmp_path / "c") != _digest(tmp_path / "a")


def test_errors_do_not_change_the_rest(tmp_path: Path) -> None:
    clean = generate(80, 3, tmp_path / "clean", chunk=40)
    dirty = generate(80, 3, tmp_path / "dirty", chunk=40, errors=0.05, load_errors=False)
    assert clean.nodes == dirty.nodes  # same nodes; only the injected values differ


def test_conforms_with_pyshacl(clean_graph) -> None:
    out, stats = clean_graph
    assert stats.triples > 4_000
    report = validate(data_files=sorted(out.glob("*.ttl")))
    assert report.conforms, [str(r) for r in report.results[:5]]
    assert report.results == []


def test_triple_count_and_structure(clean_graph) -> None:
    out, stats = clean_graph
    store = ox.Store()
    for f in sorted(out.glob("*.ttl")):
        store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    assert len(store) == stats.triples
    assert orgs_for_triples(1_000_000) == round(1_000_000 / TRIPLES_PER_ORG)

    def ask(q: str) -> bool:
        return bool(
            store.query(
                "PREFIX mi: <https://w3id.org/integration-kg/ontology#> "
                "PREFIX org: <http://www.w3.org/ns/org#> "
                "PREFIX level: <https://w3id.org/integration-kg/vocab/level/> " + q
            )
        )

    fund = "<https://w3id.org/integration-kg/id/programme/"
    assert ask(f"ASK {{ ?a mi:awardedUnder/<http://purl.org/dc/terms/isPartOf> {fund}amif> }}")
    assert ask(f"ASK {{ {fund}esf-plus> a mi:FundingProgramme }}")
    assert ask("ASK { ?a mi:fundedFrom/mi:fundedFrom ?b }")  # chains of two steps
    assert ask(  # memberships nested: organisation -> regional -> national -> European
        "ASK { ?m1 org:member ?a ; org:organization ?b . ?m2 org:member ?b ; org:organization ?c ."
        " ?m3 org:member ?c ; org:organization ?d }"
    )
    for level in ("assessed-organisation", "assessed-kind", "assessed-country"):
        assert ask(f"ASK {{ ?x mi:assessmentLevel level:{level} }}")
    assert ask("ASK { ?p a mi:Partnership } ") and ask("ASK { ?p a mi:Referral }")


def test_every_quote_is_in_the_source_text(clean_graph) -> None:
    out, stats = clean_graph
    lines = (out / stats.source_text).read_text(encoding="utf-8").split("\n")
    store = ox.Store()
    for f in sorted(out.glob("*.ttl")):
        store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    q = """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX mi: <https://w3id.org/integration-kg/ontology#>
    SELECT ?line ?exact WHERE { ?q mi:line ?line ; oa:hasSelector/oa:exact ?exact }"""
    rows = list(store.query(q))
    assert len(rows) == len(lines) - 1  # one quote per line, trailing newline
    for r in rows:
        assert lines[int(r["line"].value) - 1] == r["exact"].value


def test_injected_errors_are_located(tmp_path: Path) -> None:
    stats = generate(90, 4, tmp_path, chunk=30, errors=0.03)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    kinds = {e["kind"] for e in manifest["errors"]}
    assert {"syntax", "ill-typed"} <= kinds
    syntax = next(e for e in stats.errors if e.kind == "syntax")
    ill = next(e for e in stats.errors if e.kind == "ill-typed")
    with pytest.raises(LoadError, match=rf"{syntax.file}:{syntax.line}: Turtle syntax error"):
        parse_file(tmp_path / syntax.file, ox.NamedNode("urn:g"))
    with pytest.raises(LoadError, match=rf"{ill.file}:{ill.line}: invalid xsd:date"):
        parse_file(tmp_path / ill.file, ox.NamedNode("urn:g"))
    for e in stats.errors:  # every error's line is in its node's block
        lines = (tmp_path / e.file).read_text().split("\n")[: e.line]
        assert any(
            ln.startswith(e.node.rsplit("/", 1)[-1]) or e.node.rsplit("/", 1)[-1] in ln
            for ln in lines[-15:]
        )


def test_streams_in_flat_memory(tmp_path: Path) -> None:
    code = (
        "import resource, sys; from pathlib import Path; from kg.synthetic import generate; "
        "s = generate(int(sys.argv[1]), 1, Path(sys.argv[2])); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, s.triples)"
    )

    def peak(orgs: int) -> tuple[int, int]:
        out = subprocess.run(
            [sys.executable, "-c", code, str(orgs), str(tmp_path / str(orgs))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        return int(out[0]), int(out[1])

    small_kb, small_t = peak(500)
    big_kb, big_t = peak(10_000)
    assert big_t > 15 * small_t  # ~1.2M triples vs ~60k
    assert big_t / 10_000 == pytest.approx(TRIPLES_PER_ORG, rel=0.1)  # orgs_for_triples holds
    assert big_kb - small_kb < 40_000, (small_kb, big_kb)  # < 40 MB more for 20x the triples
