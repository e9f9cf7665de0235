"""The run configuration: policy thresholds and run defaults, read from one TOML file and checked."""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from dtoc.errors import DtocError
from dtoc.paths import PARAMETERS_FILE, REFERENCE_DIR
from dtoc.periods import FinancialQuarter, parse_financial_year, parse_quarter
from dtoc.plan import Plan, check_plan, derive_plan
from dtoc.vocabulary import ATTRIBUTIONS, BANDED, BANDS, JOINT_BAND

if TYPE_CHECKING:
    import polars as pl

# A band policy's three numbers: the columns of the long-form `policies` table (one row per policy and
# attribution) that sql/banding.sql reads; with the attribution in front, the $parameters the checks bind.
POLICY_FIELDS = ("target_rate", "upper_rate", "reduction_cap")
# each field's word in the names a person writes the numbers under: POLICIES files and grids (nhs_target, ...,
# asc_cap) and report.html's what-if (its inputs and the keys of its address)
INPUT_NAMES = {"target_rate": "target", "upper_rate": "upper", "reduction_cap": "cap"}
# each field in words, after its attribution's label ("NHS upper threshold"): the what-if's inputs, the sweep's charts
FIELD_WORDS = {"target_rate": "target", "upper_rate": "upper threshold", "reduction_cap": "cap"}
RUN_POLICY_NAME = "parameters.toml"
BANDED_RULE, HELD_RULE = "banded", JOINT_BAND  # the `rule` of a policies row: banded, or held at the baseline
POLICY_TABLE_SCHEMA = {
    "policy": "String",
    "attribution": "String",
    "rule": "String",
    **dict.fromkeys(POLICY_FIELDS, "Float64"),
}


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
    plan: Plan
    policies: tuple[BandPolicy, ...]  # one per banded attribution of the vocabulary, in its order
    sensitivity_margin: float
    population_vintage_reason: str | None = None
    source_file: Path = field(default=PARAMETERS_FILE)
    source_sha256: str = ""

    def policy(self, short: str) -> BandPolicy | None:
        """The band policy of an attribution by its short name; None for one held at the baseline (joint)."""
        return next((p for p in self.policies if p.attribution == short), None)

    def band_policy(self, short: str) -> BandPolicy:
        """The band policy of a banded attribution; KeyError for any other."""
        policy = self.policy(short)
        if policy is None:
            raise KeyError(f"{short!r} is not a banded attribution")
        return policy

    def with_policy(self, policy: BandPolicy) -> Config:
        """This config with one attribution's thresholds replaced."""
        return replace(
            self, policies=tuple(policy if p.attribution == policy.attribution else p for p in self.policies)
        )

    def policy_values(self) -> dict[str, float]:
        """Every threshold by $parameter name: nhs_target_rate, nhs_upper_rate, ..., asc_reduction_cap."""
        return {f"{p.attribution}_{name}": getattr(p, name) for p in self.policies for name in POLICY_FIELDS}

    def policy_rows(self, name: str = RUN_POLICY_NAME) -> list[dict[str, object]]:
        """The policy in long form: one row per attribution of the vocabulary, banded by its three numbers or
        held at the baseline (no numbers)."""
        rows: list[dict[str, object]] = []
        for attribution in ATTRIBUTIONS:
            policy = self.policy(attribution.short)
            numbers = {field: getattr(policy, field) if policy else None for field in POLICY_FIELDS}
            rule = BANDED_RULE if policy else HELD_RULE
            rows.append({"policy": name, "attribution": attribution.short, "rule": rule, **numbers})
        return rows

    def policy_table(self) -> pl.DataFrame:
        """The run's policy as the `policies` table sql/banding.sql reads, in long form (a sweep loads many)."""
        import polars as pl  # here, so that reading the config does not import polars

        schema = {column: getattr(pl, dtype) for column, dtype in POLICY_TABLE_SCHEMA.items()}
        return pl.DataFrame(self.policy_rows(), schema=schema)

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
        """This config for another baseline quarter: the plan is then derived from that quarter (dtoc.plan), and
        the population vintage's reason, which was given for the configured plan, no longer applies."""
        if quarter is None or parse_quarter(quarter) == self.baseline:
            return self
        baseline = parse_quarter(quarter)
        return replace(self, baseline=baseline, plan=derive_plan(baseline), population_vintage_reason=None)

    def vintage_reason(self, used: str) -> str:
        """Why a run's population estimates are those of `used` (see `vintage_reason`)."""
        return vintage_reason(used, self.population_vintage, self.population_vintage_reason)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready record of the parameters, for manifests and lineage."""
        return {
            "baseline_quarter": self.baseline.label,
            "baseline_months": [m.isoformat() for m in self.baseline.months],
            "days_in_quarter": self.baseline.days,
            "population_vintage": self.population_vintage,
            "population_vintage_reason": self.population_vintage_reason,
            "geography_lookup": self.geography_lookup.name,
            "target_date": self.plan.target_date.isoformat(),
            "plan": self.plan.as_dict(),
            **{
                a.short: {name: getattr(self.band_policy(a.short), name) for name in POLICY_FIELDS}
                if a.banded
                else "held at baseline"
                for a in ATTRIBUTIONS
            },
            "sensitivity_margin": self.sensitivity_margin,
            "national_ambition_daily": self.plan.national_ambition_daily,
        }


def vintage_reason(used: str, configured: str, reason: str | None) -> str:
    """Why a run's population estimates are those of `used`, given the configured vintage and the reason the
    parameters file gives for it: 'mid-2016: the latest ONS estimates published before ...'."""
    if used != configured:
        return f"{used}: the population file given for this run, instead of the configured {configured}"
    return f"{used}: {reason or 'the vintage set in the parameters file'}"


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
    """A finite number (TOML also allows inf and nan, which no threshold, margin or ambition can be)."""
    number = float(read_value(table, section, key, (int, float), "a number"))
    if not math.isfinite(number):
        raise ParameterProblem(f"{section}.{key} must be a finite number, got {number}")
    return number


def read_policy(raw: dict, attribution: str) -> BandPolicy:
    section = f"policy.{attribution}"
    table = read_section(raw, section)
    check_keys(table, section, POLICY_FIELDS, BANDS_HINT)
    policy = BandPolicy(attribution, *(read_number(table, section, key) for key in POLICY_FIELDS))
    policy.check()
    return policy


BANDS_HINT = (
    f" (the bands are Annex 3's {len(BANDS)}: {', '.join(BANDS)}; a band of another shape is the vocabulary's "
    "BAND_LIST, sql/macros/band_rule.sql and its copy in the report's what-if (dtoc/report/templates/whatif.js) "
    "to change, not a key to add)"
)
RUN_KEYS = ("baseline_quarter", "population_vintage", "population_vintage_reason", "geography_lookup")
PLAN_KEYS = ("year", "target_date", "glide_path_start", "national_ambition_daily")
SECTIONS = ("run", "plan", "policy")


class RunValues(TypedDict):
    """The [run] section, parsed: the Config fields it gives."""

    baseline: FinancialQuarter
    geography_lookup: Path
    population_vintage: str
    population_vintage_reason: str | None


def check_keys(table: dict, section: str, keys: tuple[str, ...], hint: str = "") -> None:
    """A key the section does not know is refused: a setting that does nothing must not pass for one."""
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise ParameterProblem(f"[{section}] has unknown key(s) {', '.join(unknown)}; expected {', '.join(keys)}{hint}")


def read_lookup(run: dict, parameters_dir: Path) -> Path:
    """The geography lookup: a file beside the parameters file, else one of the package's reference files."""
    name = read_value(run, "run", "geography_lookup", (str,), "a file name")
    lookup = next((p for p in (parameters_dir / name, REFERENCE_DIR / name) if p.is_file()), None)
    if lookup is None:
        raise ParameterProblem(
            f"run.geography_lookup: {name} not found beside the parameters file or in {REFERENCE_DIR}"
        )
    return lookup


def read_run(raw: dict, parameters_dir: Path) -> RunValues:
    """The [run] values, parsed: baseline quarter, population vintage and why it is used, lookup path."""
    run = read_section(raw, "run")
    check_keys(run, "run", RUN_KEYS)
    quarter = read_value(run, "run", "baseline_quarter", (str,), 'text such as "2017-18Q3"')
    try:
        baseline = parse_quarter(quarter)
    except DtocError as error:
        raise ParameterProblem(f"run.baseline_quarter: {error}") from None
    reason = run.get("population_vintage_reason")
    if reason is not None:
        reason = read_value(run, "run", "population_vintage_reason", (str,), "text")
    return {
        "baseline": baseline,
        "geography_lookup": read_lookup(run, parameters_dir),
        "population_vintage": read_value(run, "run", "population_vintage", (str,), 'text such as "mid-2016"'),
        "population_vintage_reason": reason,
    }


def read_date(table: dict, section: str, key: str) -> date:
    value = read_value(table, section, key, (str, date), "a date YYYY-MM-DD")
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ParameterProblem(f"{section}.{key} must be a date YYYY-MM-DD, got {value!r}") from None


def read_plan(raw: dict, baseline: FinancialQuarter) -> Plan:
    """The [plan] values, checked against the baseline quarter (dtoc.plan.check_plan)."""
    table = read_section(raw, "plan")
    check_keys(table, "plan", PLAN_KEYS)
    year = read_value(table, "plan", "year", (str,), 'a financial year such as "2018-19"')
    try:
        parse_financial_year(year)
    except DtocError as error:
        raise ParameterProblem(f"plan.year: {error}") from None
    start = read_value(table, "plan", "glide_path_start", (str,), 'a month such as "2018-04"')
    try:
        glide_start = datetime.strptime(start.strip(), "%Y-%m").date()
    except ValueError:
        raise ParameterProblem(f"plan.glide_path_start must be a month YYYY-MM, got {start!r}") from None
    ambition = read_number(table, "plan", "national_ambition_daily") if "national_ambition_daily" in table else None
    if ambition is not None and not (math.isfinite(ambition) and ambition > 0):
        raise ParameterProblem(f"plan.national_ambition_daily must be a positive number, got {ambition:g}")
    plan = Plan(year.strip(), read_date(table, "plan", "target_date"), glide_start, ambition)
    try:
        check_plan(plan, baseline)
    except DtocError as error:
        raise ParameterProblem(str(error)) from None
    return plan


POLICY_SECTIONS = (*(a.short for a in BANDED), "sensitivity")


def check_policy_sections(raw: dict) -> None:
    """The file holds only the sections read here ([run], [plan], [policy.*]): a band policy for each
    attribution the vocabulary bands (an attribution the DToC workbooks do not give, or one Annex 3 holds at the
    baseline, has none), and the sensitivity margin."""
    check_keys(raw, "parameters file's top level", SECTIONS)
    policy = raw.get("policy")
    unknown = sorted(set(policy) - set(POLICY_SECTIONS)) if isinstance(policy, dict) else []
    if unknown:
        held = ", ".join(a.short for a in ATTRIBUTIONS if not a.banded)
        raise ParameterProblem(
            f"[policy] has unknown section(s) {', '.join(unknown)}; expected {', '.join(POLICY_SECTIONS)}: the "
            f"attributions of dtoc.vocabulary.ATTRIBUTIONS that Annex 3 bands ({held} delays are held at the "
            "baseline: nothing to set; an attribution the DToC workbooks do not give cannot be banded)"
        )


def read_margin(raw: dict) -> float:
    table = read_section(raw, "policy.sensitivity")
    check_keys(table, "policy.sensitivity", ("margin",))
    margin = read_number(table, "policy.sensitivity", "margin")
    if not (math.isfinite(margin) and margin >= 0):
        raise ParameterProblem(f"policy.sensitivity.margin must be a number at least 0, got {margin:g}")
    return margin


def load_config(path: Path | None = None) -> Config:
    """Read and check the parameters file (the packaged dtoc/parameters.toml unless another is given, as
    --config does); any mistake is one line naming the file and the key."""
    path = PARAMETERS_FILE if path is None else Path(path)
    try:
        if path.is_dir():
            raise ParameterProblem("is a folder, not a file")
        content = path.read_bytes()
        raw = tomllib.loads(content.decode("utf-8"))
        check_policy_sections(raw)
        run = read_run(raw, path.resolve().parent)
        return Config(
            **run,
            plan=read_plan(raw, run["baseline"]),
            policies=tuple(read_policy(raw, a.short) for a in BANDED),
            sensitivity_margin=read_margin(raw),
            source_file=path,
            source_sha256=hashlib.sha256(content).hexdigest(),
        )
    except OSError as error:
        raise DtocError(f"parameters file {path} cannot be read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise DtocError(f"parameters file {path}: not valid TOML: {error}") from None
    except DtocError as error:
        raise DtocError(f"parameters file {path}: {error}") from None
