"""The validation gate's verdict, as a type of its own: the gate makes it, its report and its worker read it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class GateResult:
    """The verdict: passed when no error-severity check failed; messages name check, location and value."""

    passed: bool
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
