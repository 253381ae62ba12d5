"""The shipped graph: every quote is verbatim in its source, and the graph conforms to the shapes."""

from __future__ import annotations

import pyoxigraph as ox

from kg.settings import get_settings
from kg.validate.quotes import check_quotes
from kg.validate.shacl import validate


def test_seeds_are_present() -> None:
    """The quote check needs ../shared/seeds (CI clones the repo with shared/ beside it)."""
    seeds = get_settings().seeds_dir
    assert seeds.is_dir(), f"source documents not found at {seeds} (set KG_SEEDS_DIR)"
    assert len(list(seeds.glob("00*.txt"))) == 5


def test_every_quote_is_verbatim(store: ox.Store) -> None:
    n, problems = check_quotes(store)
    assert n > 0
    assert not problems, "\n".join(str(p) for p in problems[:50])


def test_quote_check_catches_an_altered_quote(tmp_path, store: ox.Store) -> None:
    """The check can fail: change one word of a real quote and it is reported."""
    row = next(
        iter(
            store.query(
                "PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?sel ?e WHERE { ?sel oa:exact ?e } LIMIT 1",
                use_default_graph_as_union=True,
            )
        )
    )
    copy = ox.Store()
    copy.extend(store)
    exact = ox.NamedNode("http://www.w3.org/ns/oa#exact")
    for q in list(copy.quads_for_pattern(row["sel"], exact, None, None)):
        copy.remove(q)
        copy.add(
            ox.Quad(q.subject, q.predicate, ox.Literal(q.object.value + " invented"), q.graph_name)
        )
    _, problems = check_quotes(copy)
    assert any("not found verbatim" in p.message for p in problems)


def test_shipped_data_conforms() -> None:
    report = validate()
    violations = report.by_severity().get("Violation", [])
    assert report.conforms, "\n".join(str(r) for r in violations[:50])
