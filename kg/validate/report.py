"""What a validation run reports, whichever engine produced it (pySHACL or the SPARQL engine)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

__all__ = ["ValidationReport", "ValidationResult"]


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with the file and label of its focus node."""

    severity: str
    focus_node: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    shape: str | None
    files: tuple[str, ...]
    node_shape: str | None = None

    def __str__(self) -> str:
        where = ", ".join(self.files) or "(unknown file)"
        label = f' "{self.focus_label}"' if self.focus_label else ""
        return f"{where}: {self.severity}: {self.focus_node}{label}: {self.message}"


@dataclass
class ValidationReport:
    """All results of a validation run."""

    results: list[ValidationResult] = field(default_factory=list)
    triples: int = 0

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation (warnings and infos are allowed)."""
        return not any(r.severity == "Violation" for r in self.results)

    def by_severity(self) -> dict[str, list[ValidationResult]]:
        """Group the results by severity (Violation, Warning, Info)."""
        out: dict[str, list[ValidationResult]] = defaultdict(list)
        for r in self.results:
            out[r.severity].append(r)
        return dict(out)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: ``conforms``, counts per severity, and every result."""
        return {
            "conforms": self.conforms,
            "triples": self.triples,
            "counts": {k: len(v) for k, v in self.by_severity().items()},
            "results": [asdict(r) for r in self.results],
        }
