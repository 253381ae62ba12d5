"""What the explorer's browser tests share: waiting for the page, reading its test hooks."""

from __future__ import annotations

from typing import Any

__all__ = ["ready", "state"]


def ready(probe: Any, timeout: float = 30_000) -> None:
    """Wait until the explorer has drawn its network (its ``ready`` flags are set)."""
    probe.page.wait_for_function(
        "() => document.body.dataset.ready === 'true' && window.__explorer.ready", timeout=timeout
    )


def state(probe: Any, key: str) -> Any:
    """A value of the explorer's test hook ``window.__explorer``."""
    return probe.page.evaluate(f"window.__explorer.{key}")
