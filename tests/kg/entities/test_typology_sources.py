"""The typology matrix and the source documents as the pages get them (kg.entities)."""

from __future__ import annotations

import pytest

from kg.entities.sources import source_document
from kg.entities.typology import typology_matrix
from kg.exceptions import UnknownEntityError
from kg.settings import Settings
from tests.support import shipped_backend


def test_matrix_rows_columns_and_no_assessment_sirius() -> None:
    """Seed 004: seven country chapters; Italy's states no position of the typology (no
    assessment in data/ttl/sirius/it.ttl), so its row is marked, not left out."""
    m = typology_matrix(backend=shipped_backend())
    codes = [c["code"] for c in m["countries"] if c["in_report"]]
    assert sorted(codes) == ["CH", "CZ", "DK", "FI", "GB", "GR", "IT"]
    italy = next(c for c in m["countries"] if c["code"] == "IT")
    assert italy["assessed"] is False and italy["statements"] == 0
    assert not [c for c in m["cells"] if c["country"] == "IT"]
    assert m["no_assessment"] == "no assessment in the report"
    assert m["coverage"].startswith("6 of 7 countries")


def test_group_statements_stay_group_level_sirius() -> None:
    """Seed 004 line 804 ("as happens with some organisations in Denmark"): a statement about a
    group keeps its group as subject and its quantifier; none is an organisation's position."""
    m = typology_matrix(backend=shipped_backend())
    statements = [s for c in m["cells"] for s in c["statements"]]
    for s in statements:
        assert (s["scope"] == "organisation") == (not s["target_ref"].startswith("group:"))
        if s["scope"] != "organisation":
            assert s["scope_label"].startswith("group-level")
    dk = next(s for s in statements if s["target_ref"] == "group:dk-csos")
    assert dk["quantifier"] == "some" and dk["text"] == "uncritical extender"
    assert any(q["line"] == 804 and q["href"] == "/sources/sirius-wp4#L804" for q in dk["quotes"])


def test_source_document_by_name_and_file_seed_001() -> None:
    """Seed 001 line 33 begins "The essence of the Connections project"."""
    by_ref = source_document("ewsi-lu-connections", backend=shipped_backend())
    by_file = source_document("001_bae96f631a41d409.txt", backend=shipped_backend())
    assert by_ref["iri"] == by_file["iri"]
    assert by_ref["lines"][32].startswith("The essence of the Connections project")
    q = next(q for q in by_ref["quotes"] if q["quote"].startswith("The essence of"))
    assert (q["start"], q["end"], q["found"]) == (33, 33, True)


def test_unknown_document_and_missing_file(tmp_path) -> None:
    with pytest.raises(
        UnknownEntityError, match="no source document 'nope' \\(known: .*sirius-wp4"
    ):
        source_document("nope", backend=shipped_backend())
    with pytest.raises(UnknownEntityError, match="KG_SEEDS_DIR"):
        source_document(
            "sirius-wp4", backend=shipped_backend(), settings=Settings(seeds_dir=tmp_path)
        )
