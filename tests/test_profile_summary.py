"""The py-spy summary of `benchmarks.profile` attributes samples to the loader's phases."""

from __future__ import annotations

from pathlib import Path

from benchmarks.profile import phase_of, summarise

# Collapsed stacks as py-spy --format raw writes them: frames joined by ";", then a count.
FOLDED = """\
thread (1);<module> (<string>:6);load_store (kg/load.py:403);_fill (kg/load.py:435);load_file (kg/load.py:280);parse_turtle 6
thread (2);Thread.run (threading.py:982);_worker (concurrent/futures/thread.py:83);_check_graph (kg/load.py:378);quads_for_pattern 3
thread (3);_worker (concurrent/futures/thread.py:83);derive.<locals>.run (kg/load.py:257);_insert (kg/load.py:276);insert 1
thread (4);0x7f00 2
thread (1);<module> (<string>:2);<module> (kg/__init__.py:1) 1
not a sample line
"""


def test_phases_by_innermost_loader_function(tmp_path: Path) -> None:
    """Counted by hand from FOLDED: 13 samples, 6 / 3 / 1 / 2 / 1 by phase."""
    folded = tmp_path / "p.folded"
    folded.write_text(FOLDED)
    text = summarise(folded)
    assert text.startswith("13 samples")
    assert "| load_file | 46.2 % |" in text  # 6 / 13
    assert "| _check_graph | 23.1 % |" in text  # 3 / 13
    assert "| derive | 7.7 % |" in text  # 1 / 13, from derive.<locals>.run
    assert "| native threads (no Python frame) | 15.4 % |" in text  # 2 / 13
    assert "| other (start-up, imports, waiting threads) | 7.7 % |" in text
    assert "`parse_turtle` | 46.2 %" in text


def test_frames_outside_kg_load_do_not_count_as_phases() -> None:
    stack = ["thread (1)", "load_file (somewhere/else.py:1)", "x"]
    assert phase_of(stack).startswith("other")
