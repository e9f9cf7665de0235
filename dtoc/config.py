"""The run configuration: policy thresholds and run defaults, read from one TOML file and checked."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from dtoc.errors import DtocError
from dtoc.paths import PARAMETERS_FILE, REFERENCE_DIR
from dtoc.periods import FinancialQuarter, parse_quarter

if TYPE_CHECKING:
    import polars as pl

# A band policy's three numbers; with the attribution in front they name the columns of the `policies` table
# (nhs_target_rate, ..., asc_reduction_cap) that sql/banding.sql reads.
POLICY_FIELDS = ("target_rate", "upper_rate", "reduction_cap")
RUN_POLICY_NAME = "parameters.toml"


@dataclass(frozen=True)
class BandPolicy:
    """Thresholds for one attribution: keep below target, reduce to target up to upper, else cut by cap."""

    attribution: str
    target_rate: float
    upper_rate: float
    reduction_cap: float

    def check(self) -> None:
        """Thresholds 0 <= target <= upper and a cap in [0, 1); the message names the keys and values."""
        section = f"policy.{self.attribution}"
        if not 0 <= self.target_rate <= self.upper_rate:
            raise DtocError(
                f"{section}.target_rate ({self.target_rate:g}) and {section}.upper_rate "
                f"({self.upper_rate:g}) must satisfy 0 <= target_rate <= upper_rate"
            )
        if not 0 <= self.reduction_cap < 1:
            raise DtocError(
                f"{section}.reduction_cap must be in [0, 1) (a fraction: 0.3 for 30%), got {self.reduction_cap:g}"
            )


@dataclass(frozen=True)
class Config:
    """Everything a run depends on besides the input files."""

    baseline: FinancialQuarter
    population_vintage: str
    geography_lookup: Path
    target_date: date
    nhs: BandPolicy
    asc: BandPolicy
    sensitivity_margin: float
    national_ambition_daily: float = 4000.0
    source_file: Path = field(default=PARAMETERS_FILE)

    def policy(self, short: str) -> BandPolicy | None:
        """The band policy of an attribution by its short name ('nhs', 'asc'); None for joint delays."""
        return {"nhs": self.nhs, "asc": self.asc}.get(short)

    def band_policy(self, short: str) -> BandPolicy:
        """The band policy of a banded attribution ('nhs', 'asc'); KeyError for any other."""
        policy = self.policy(short)
        if policy is None:
            raise KeyError(f"{short!r} is not a banded attribution")
        return policy

    def policy_values(self) -> dict[str, float]:
        """The six thresholds by column name: nhs_target_rate, nhs_upper_rate, ..., asc_reduction_cap."""
        return {
            f"{rules.attribution}_{name}": getattr(rules, name)
            for rules in (self.nhs, self.asc)
            for name in POLICY_FIELDS
        }

    def policy_table(self) -> pl.DataFrame:
        """The run's policy as the one-row `policies` table that sql/banding.sql reads (a sweep loads many)."""
        import polars as pl  # here, so that reading the config does not import polars

        return pl.DataFrame([{"policy": RUN_POLICY_NAME, **self.policy_values()}])

    def sql_parameters(self) -> dict[str, object]:
        """The values the SQL models and the validation checks bind as $name parameters."""
        return {
            **self.policy_values(),
            "quarter_first_month": self.baseline.months[0],
            "quarter_last_month": self.baseline.months[-1],
            "days_in_quarter": self.baseline.days,
            "sensitivity_margin": self.sensitivity_margin,
        }

    def with_baseline(self, quarter: str | None) -> Config:
        return self if quarter is None else replace(self, baseline=parse_quarter(quarter))

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready record of the parameters, for manifests and lineage."""
        return {
            "baseline_quarter": self.baseline.label,
            "baseline_months": [m.isoformat() for m in self.baseline.months],
            "days_in_quarter": self.baseline.days,
            "population_vintage": self.population_vintage,
            "geography_lookup": self.geography_lookup.name,
            "target_date": self.target_date.isoformat(),
            "nhs": {
                "target_rate": self.nhs.target_rate,
                "upper_rate": self.nhs.upper_rate,
                "reduction_cap": self.nhs.reduction_cap,
            },
            "asc": {
                "target_rate": self.asc.target_rate,
                "upper_rate": self.asc.upper_rate,
                "reduction_cap": self.asc.reduction_cap,
            },
            "joint": "held at baseline",
            "sensitivity_margin": self.sensitivity_margin,
            "national_ambition_daily": self.national_ambition_daily,
        }


class ParameterProblem(DtocError):
    """One thing wrong in the parameters file; load_config adds the file's path."""


def read_section(raw: dict, section: str) -> dict:
    """The [section] table ('policy.nhs': the nhs table inside policy)."""
    table: object = raw
    for part in section.split("."):
        table = table.get(part) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        raise ParameterProblem(f"[{section}] is missing")
    return table


def read_value(table: dict, section: str, key: str, kinds: tuple[type, ...], what: str):
    """table[key], which must be one of kinds (true/false is never a number)."""
    if key not in table:
        raise ParameterProblem(f"{section}.{key} is missing")
    value = table[key]
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise ParameterProblem(f"{section}.{key} must be {what}, got {type(value).__name__} {value!r}")
    return value


def read_number(table: dict, section: str, key: str) -> float:
    return float(read_value(table, section, key, (int, float), "a number"))


def read_policy(raw: dict, attribution: str) -> BandPolicy:
    section = f"policy.{attribution}"
    table = read_section(raw, section)
    keys = ("target_rate", "upper_rate", "reduction_cap")
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise ParameterProblem(f"[{section}] has unknown key(s) {', '.join(unknown)}; expected {', '.join(keys)}")
    policy = BandPolicy(attribution, *(read_number(table, section, key) for key in keys))
    policy.check()
    return policy


class RunValues(TypedDict):
    """The [run] section, parsed: the Config fields it gives."""

    baseline: FinancialQuarter
    target_date: date
    geography_lookup: Path
    population_vintage: str
    national_ambition_daily: float


def read_run(raw: dict) -> RunValues:
    """The [run] values, parsed: baseline quarter, population vintage, lookup path, target date, ambition."""
    run = read_section(raw, "run")
    quarter = read_value(run, "run", "baseline_quarter", (str,), 'text such as "2017-18Q3"')
    try:
        baseline = parse_quarter(quarter)
    except DtocError as error:
        raise ParameterProblem(f"run.baseline_quarter: {error}") from None
    target = read_value(run, "run", "target_date", (str, date), "a date YYYY-MM-DD")
    try:
        target = target if isinstance(target, date) else date.fromisoformat(target)
    except ValueError:
        raise ParameterProblem(f"run.target_date must be a date YYYY-MM-DD, got {target!r}") from None
    lookup = REFERENCE_DIR / read_value(run, "run", "geography_lookup", (str,), "a file name")
    if not lookup.is_file():
        raise ParameterProblem(f"run.geography_lookup: {lookup} not found")
    return {
        "baseline": baseline,
        "target_date": target,
        "geography_lookup": lookup,
        "population_vintage": read_value(run, "run", "population_vintage", (str,), 'text such as "mid-2016"'),
        "national_ambition_daily": read_number(run, "run", "national_ambition_daily"),
    }


POLICY_SECTIONS = ("nhs", "asc", "sensitivity")


def check_policy_sections(raw: dict) -> None:
    """[policy] holds only the sections read here; joint delays are held at the baseline by Annex 3."""
    policy = raw.get("policy")
    unknown = sorted(set(policy) - set(POLICY_SECTIONS)) if isinstance(policy, dict) else []
    if unknown:
        raise ParameterProblem(
            f"[policy] has unknown section(s) {', '.join(unknown)}; expected "
            f"{', '.join(POLICY_SECTIONS)} (joint delays are held at the baseline: nothing to set)"
        )


def load_config(path: Path = PARAMETERS_FILE) -> Config:
    """Read and check the parameters file; any mistake is one line naming the file and the key."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        check_policy_sections(raw)
        return Config(
            **read_run(raw),
            nhs=read_policy(raw, "nhs"),
            asc=read_policy(raw, "asc"),
            sensitivity_margin=read_number(read_section(raw, "policy.sensitivity"), "policy.sensitivity", "margin"),
            source_file=path,
        )
    except OSError as error:
        raise DtocError(f"parameters file {path} cannot be read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise DtocError(f"parameters file {path}: not valid TOML: {error}") from None
    except DtocError as error:
        raise DtocError(f"parameters file {path}: {error}") from None
