"""The run configuration: policy thresholds and run defaults, read from one TOML file and checked."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from dtoc.errors import DtocError
from dtoc.paths import PARAMETERS_FILE, REFERENCE_DIR
from dtoc.periods import FinancialQuarter, parse_quarter

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
        if not 0 <= self.target_rate <= self.upper_rate:
            raise DtocError(f"policy.{self.attribution}: need 0 <= target_rate <= upper_rate, "
                            f"got {self.target_rate} and {self.upper_rate}")
        if not 0 <= self.reduction_cap < 1:
            raise DtocError(f"policy.{self.attribution}: reduction_cap must be in [0, 1), got {self.reduction_cap}")


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

    def policy_values(self) -> dict[str, float]:
        """The six thresholds by column name: nhs_target_rate, nhs_upper_rate, ..., asc_reduction_cap."""
        return {f"{rules.attribution}_{name}": getattr(rules, name) for rules in (self.nhs, self.asc)
                for name in POLICY_FIELDS}

    def policy_table(self) -> pl.DataFrame:
        """The run's policy as the one-row `policies` table that sql/banding.sql reads (a sweep loads many)."""
        import polars as pl  # here, so that reading the config does not import polars
        return pl.DataFrame([{"policy": RUN_POLICY_NAME, **self.policy_values()}])

    def sql_parameters(self) -> dict[str, object]:
        """The values the SQL models and the validation checks bind as $name parameters."""
        return {
            **self.policy_values(),
            "quarter_first_month": self.baseline.months[0], "quarter_last_month": self.baseline.months[-1],
            "days_in_quarter": self.baseline.days, "sensitivity_margin": self.sensitivity_margin,
        }

    def with_baseline(self, quarter: str | None) -> "Config":
        return self if quarter is None else replace(self, baseline=parse_quarter(quarter))

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready record of the parameters, for manifests and lineage."""
        return {
            "baseline_quarter": self.baseline.label, "baseline_months": [m.isoformat() for m in self.baseline.months],
            "days_in_quarter": self.baseline.days, "population_vintage": self.population_vintage,
            "geography_lookup": self.geography_lookup.name, "target_date": self.target_date.isoformat(),
            "nhs": {"target_rate": self.nhs.target_rate, "upper_rate": self.nhs.upper_rate,
                    "reduction_cap": self.nhs.reduction_cap},
            "asc": {"target_rate": self.asc.target_rate, "upper_rate": self.asc.upper_rate,
                    "reduction_cap": self.asc.reduction_cap},
            "joint": "held at baseline", "sensitivity_margin": self.sensitivity_margin,
            "national_ambition_daily": self.national_ambition_daily,
        }


def load_config(path: Path = PARAMETERS_FILE) -> Config:
    """Read and check the parameters file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        run, policy = raw["run"], raw["policy"]
        nhs = BandPolicy("nhs", **{k: float(v) for k, v in policy["nhs"].items()})
        asc = BandPolicy("asc", **{k: float(v) for k, v in policy["asc"].items()})
        config = Config(
            baseline=parse_quarter(run["baseline_quarter"]),
            population_vintage=str(run["population_vintage"]),
            geography_lookup=REFERENCE_DIR / run["geography_lookup"],
            target_date=date.fromisoformat(run["target_date"]),
            nhs=nhs, asc=asc, sensitivity_margin=float(policy["sensitivity"]["margin"]),
            national_ambition_daily=float(run["national_ambition_daily"]), source_file=path)
    except (OSError, KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as error:
        raise DtocError(f"parameters file {path}: {error!r}") from error
    nhs.check()
    asc.check()
    if not config.geography_lookup.is_file():
        raise DtocError(f"parameters file {path}: geography lookup {config.geography_lookup} not found")
    return config
