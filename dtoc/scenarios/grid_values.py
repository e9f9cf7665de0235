"""The values of one numeric parameter of a --grid file (dtoc.scenarios.grid): a number, a list of numbers or a
range {start = 5.0, stop = 6.0, step = 0.1} (stop included).

Numbers follow the one rule (dtoc.ingest.numbers): a TOML number, or text such as "1,234"; each must be finite
and within the arithmetic's range ('1e400' and nan are refused, naming the key). A range is counted from its
start, stop and step, exactly (fractions, not floats), before any value is made, so a range of 10^30 values is
refused at once. Values are exact decimals (5.5, not 5.500000000000001); each is written in a policy's name by
`compact`, with at most 12 significant digits, and two values that this cannot tell apart are refused, so every
generated name is short and names one policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from dtoc.errors import DtocError
from dtoc.ingest.numbers import NumberProblem, read_decimal

SIGNIFICANT_DIGITS = 12


def large_count(count: int) -> str:
    """A count as a message gives it: 1,234,567; 6.4e+37 past what a person can read digit by digit."""
    return f"{count:,}" if count < 10**15 else f"{count:.3g}"


def show(spec: object) -> str:
    """A setting as the TOML file wrote it: 0.3, [0.3, 0.4], {start = 5, stop = 6, step = 0.1}, "x"."""
    if isinstance(spec, Decimal):
        return str(spec)
    if isinstance(spec, dict):
        return "{" + ", ".join(f"{key} = {show(value)}" for key, value in spec.items()) + "}"
    if isinstance(spec, list):
        return "[" + ", ".join(show(value) for value in spec) + "]"
    return f'"{spec}"' if isinstance(spec, str) else str(spec).lower()


def compact(value: Decimal) -> str:
    """The value in a policy's name: '5.5', '10', '0.000001', '1.23456789012e+20' (at most 12 significant digits)."""
    if not value:
        return "0"
    rounded = value.quantize(Decimal(1).scaleb(value.adjusted() - SIGNIFICANT_DIGITS + 1)).normalize()
    return format(rounded, "f") if -7 < rounded.adjusted() < SIGNIFICANT_DIGITS else format(rounded, "e")


@dataclass(frozen=True)
class Setting:
    """One parameter as the grid sets it: its values listed, or a range's first value, step and count."""

    name: str
    count: int
    first: Decimal
    step: Decimal | None = None  # None: the values are `listed`
    listed: tuple[Decimal, ...] = ()

    def values(self) -> list[Decimal]:
        if self.step is None:
            return list(self.listed)
        return [self.first + index * self.step for index in range(self.count)]


def setting_number(value: object, key: str, where: str) -> Decimal:
    """One number of a setting (key names it: 'nhs_upper', 'nhs_upper.stop'), by the one number rule."""
    if isinstance(value, (dict, list)):
        raise DtocError(f"{where}: {key} = {show(value)} is not a number")
    try:
        return read_decimal(value)
    except NumberProblem as problem:
        raise DtocError(f"{where}: {key} = {show(value)} {problem.phrase}") from None


def range_setting(spec: dict, name: str, where: str, most: int) -> Setting:
    """A range, counted exactly from start, stop and step; refused past `most` values before any is made."""
    if set(spec) != {"start", "stop", "step"}:
        raise DtocError(f"{where}: {name} as a range needs exactly start, stop and step, not {', '.join(spec)}")
    start, stop, step = (setting_number(spec[key], f"{name}.{key}", where) for key in ("start", "stop", "step"))
    if not step > 0 or stop < start:
        raise DtocError(f"{where}: {name} needs step > 0 and stop >= start, got {show(spec)}")
    count = int((Fraction(stop) - Fraction(start)) // Fraction(step)) + 1
    if count > most:
        raise DtocError(
            f"{where}: {name} = {show(spec)} has {large_count(count)} values (the step is too small for the range), more than "
            f"the {most:,} policies a sweep allows"
        )
    return Setting(name, count, start, step)


def read_setting(raw: dict, name: str, where: str, most: int) -> Setting:
    """The values of one numeric parameter, counted (not made): a number, a list of numbers or a range."""
    if name not in raw:
        raise DtocError(f"{where}: {name} is not set (give a number, a list or {{start, stop, step}})")
    spec = raw[name]
    if isinstance(spec, dict):
        return range_setting(spec, name, where, most)
    listed = tuple(setting_number(v, name, where) for v in (spec if isinstance(spec, list) else [spec]))
    if not listed:
        raise DtocError(f"{where}: {name} = [] lists no value")
    return Setting(name, len(listed), listed[0], listed=listed)


def labelled_values(setting: Setting, where: str) -> list[tuple[Decimal, str]]:
    """(value, its compact label) for each value; two values with one label are refused."""
    seen: dict[str, Decimal] = {}
    result = []
    for value in setting.values():
        label = compact(value)
        if label in seen:
            if seen[label] == value:
                raise DtocError(f"{where}: {setting.name} lists the value {label} twice")
            raise DtocError(
                f"{where}: {setting.name} holds {seen[label]} and {value}, which agree to {SIGNIFICANT_DIGITS} "
                "significant digits, so the policies' names could not tell them apart; use values further apart"
            )
        seen[label] = value
        result.append((value, label))
    return result
