"""The parameters file: each mistake in it stops the run with one line naming the file, the key and what is
wrong. Each case edits one line of a copy of the shipped dtoc/parameters.toml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dtoc.config import load_config
from dtoc.errors import DtocError
from dtoc.paths import PARAMETERS_FILE
from tests.support.parameters import PLAN_2019_20, parameters_with


def edited(tmp_path: Path, section: str, key: str, line: str | None) -> Path:
    """A copy of the shipped parameters with `key = ...` in [section] replaced by line (None: removed)."""
    out, current, done = [], None, False
    for text in PARAMETERS_FILE.read_text(encoding="utf-8").splitlines():
        header = re.match(r"^\[(.+)\]\s*$", text)
        current = header.group(1) if header else current
        if current == section and re.match(rf"^{re.escape(key)}\s*=", text):
            done = True
            if line is not None:
                out.append(line)
            continue
        out.append(text)
    assert done, f"no {key} in [{section}]"
    path = tmp_path / "parameters.toml"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(DtocError) as error:
        load_config(path)
    message = str(error.value)
    assert "\n" not in message and str(path) in message, message
    return message


def test_an_unchanged_copy_loads_as_the_shipped_file(tmp_path):
    copy = edited(tmp_path, "policy.nhs", "target_rate", "target_rate = 5.5")
    assert load_config(copy).as_dict() == load_config().as_dict()


# (section, key, replacement line, fragments the message must hold)
CASES = {
    "not TOML": ("policy.nhs", "target_rate", "target_rate = = 5.5", ["not valid TOML", "line"]),
    "threshold as text": (
        "policy.nhs",
        "target_rate",
        'target_rate = "5.5"',
        ["policy.nhs.target_rate", "number", "'5.5'"],
    ),
    "threshold as a list": (
        "policy.asc",
        "upper_rate",
        "upper_rate = [4.3]",
        ["policy.asc.upper_rate", "number", "[4.3]"],
    ),
    "cap as true": ("policy.asc", "reduction_cap", "reduction_cap = true", ["policy.asc.reduction_cap", "number"]),
    "missing key": ("policy.asc", "reduction_cap", None, ["policy.asc.reduction_cap", "missing"]),
    "unknown key": (
        "policy.nhs",
        "reduction_cap",
        "reduction_percent = 30",
        ["policy.nhs", "reduction_percent", "unknown"],
    ),
    "target above upper": (
        "policy.nhs",
        "target_rate",
        "target_rate = 8.0",
        ["policy.nhs.target_rate", "policy.nhs.upper_rate", "8", "7.9"],
    ),
    "negative target": ("policy.asc", "target_rate", "target_rate = -2.6", ["policy.asc.target_rate", "-2.6"]),
    "cap of one": ("policy.nhs", "reduction_cap", "reduction_cap = 1.0", ["policy.nhs.reduction_cap", "[0, 1)", "1"]),
    "cap as a percentage": (
        "policy.asc",
        "reduction_cap",
        "reduction_cap = 40",
        ["policy.asc.reduction_cap", "[0, 1)", "40"],
    ),
    "negative cap": ("policy.nhs", "reduction_cap", "reduction_cap = -0.3", ["policy.nhs.reduction_cap", "-0.3"]),
    "quarter misspelt": (
        "run",
        "baseline_quarter",
        'baseline_quarter = "2017Q3"',
        ["run.baseline_quarter", "2017Q3", "YYYY-YYQn"],
    ),
    "date misspelt": ("plan", "target_date", 'target_date = "30/09/2018"', ["plan.target_date", "30/09/2018"]),
    "target before the baseline ends": (
        "plan",
        "target_date",
        'target_date = "2017-11-30"',
        ["plan.target_date", "2017-11-30", "baseline", "2017-18Q3"],
    ),
    "target outside the plan year": (
        "plan",
        "target_date",
        'target_date = "2019-09-30"',
        ["plan.target_date", "2019-09-30", "2018-19"],
    ),
    "plan year not following the baseline": (
        "plan",
        "year",
        'year = "2017-18"',
        ["plan.year", "2017-18", "does not follow", "2017-18Q3"],
    ),
    "plan year misspelt": ("plan", "year", 'year = "2018-20"', ["plan.year", "2018-20"]),
    "glide path after the target": (
        "plan",
        "glide_path_start",
        'glide_path_start = "2018-10"',
        ["plan.glide_path_start", "2018-10", "September 2018"],
    ),
    "unknown plan key": ("plan", "year", 'years = "2018-19"', ["[plan]", "years", "unknown"]),
    "unknown run key": ("run", "geography_lookup", 'target_date = "2018-09-30"', ["[run]", "target_date", "unknown"]),
    "infinite threshold": ("policy.nhs", "upper_rate", "upper_rate = inf", ["policy.nhs.upper_rate", "finite"]),
    "margin as text": ("policy.sensitivity", "margin", 'margin = "0.1"', ["policy.sensitivity.margin", "number"]),
    "lookup not there": (
        "run",
        "geography_lookup",
        'geography_lookup = "nowhere.csv"',
        ["run.geography_lookup", "nowhere.csv", "not found"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_mistake_is_one_line_naming_file_and_key(case, tmp_path):
    """Fails if a mistake is accepted (text '5.5' read as a number, a cap of 40 meaning 40%) or reported as a
    Python repr or traceback without the key."""
    section, key, line, fragments = CASES[case]
    message = refused(edited(tmp_path, section, key, line))
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert "Error(" not in message, message  # no Python repr such as KeyError('target_rate')


def test_a_missing_section_and_a_missing_file(tmp_path):
    text = PARAMETERS_FILE.read_text(encoding="utf-8")
    without = tmp_path / "no-asc.toml"
    without.write_text(re.sub(r"\[policy\.asc\][^\[]*", "", text), encoding="utf-8")
    assert "[policy.asc] is missing" in refused(without)
    no_plan = tmp_path / "no-plan.toml"
    no_plan.write_text(re.sub(r"\[plan\][^\[]*", "", text), encoding="utf-8")
    assert "[plan] is missing" in refused(no_plan)
    assert "cannot be read" in refused(tmp_path / "absent.toml")
    assert "is a folder" in refused(tmp_path)


def test_an_unknown_policy_section_is_refused_not_ignored(tmp_path):
    """[policy.joint] used to be accepted and read by nothing: a setting that does nothing is refused."""
    path = tmp_path / "parameters.toml"
    path.write_text(PARAMETERS_FILE.read_text() + "\n[policy.joint]\nheld_at_baseline = false\n")
    with pytest.raises(DtocError, match=r"\[policy\] has unknown section\(s\) joint"):
        load_config(path)


def test_another_plan_year_is_read_and_checked_against_the_baseline(tmp_path):
    """A parameters file for the 2018-19 Q3 baseline and a 2019-20 plan loads; its years are the file's."""
    path = parameters_with(tmp_path / "plan-2019-20.toml", PLAN_2019_20)
    config = load_config(path)
    assert (config.plan.year, config.plan.target_date.isoformat(), f"{config.plan.glide_start:%Y-%m}") == (
        "2019-20",
        "2019-12-31",
        "2019-06",
    )
    assert config.plan.derived is False and config.source_file == path
    import hashlib

    assert config.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_another_baseline_derives_its_plan():
    """--baseline 2018-19Q3 with the shipped file: plan 2019-20, target 30 September 2019, glide path from April
    2019, no national ambition (the shipped 4,000 is 2018-19's)."""
    config = load_config().with_baseline("2018-19Q3")
    plan = config.plan
    assert (plan.year, plan.target_date.isoformat(), f"{plan.glide_start:%Y-%m}") == (
        "2019-20",
        "2019-09-30",
        "2019-04",
    )
    assert plan.derived and plan.national_ambition_daily is None
    assert load_config().with_baseline("2017-18Q3").plan.year == "2018-19"
    q4 = load_config().with_baseline("2017-18Q4").plan  # January-March 2018: the plan year after is 2018-19
    assert (q4.year, q4.target_date.isoformat()) == ("2018-19", "2018-09-30")


def with_lines(tmp_path: Path, extra: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(PARAMETERS_FILE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def test_a_fourth_attribution_or_band_is_one_line_naming_what_is_missing(tmp_path):
    """The rule is data: a test-only parameters file adding an attribution the DToC workbooks do not give, or a
    fourth band to one the vocabulary knows, is refused in one line naming what is missing, by the run, the pack
    and the sweep alike (they all read the parameters through load_config; the CLI's line is the same)."""
    from tests.conftest import invoke_cli

    fourth_attribution = with_lines(
        tmp_path, "\n[policy.mental_health]\ntarget_rate = 1.0\nupper_rate = 2.0\nreduction_cap = 0.2\n", "a.toml"
    )
    message = refused(fourth_attribution)
    for fragment in ("[policy] has unknown section(s) mental_health", "nhs, asc", "dtoc.vocabulary.ATTRIBUTIONS"):
        assert fragment in message, message
    fourth_band = parameters_with(
        tmp_path / "b.toml",
        (("reduction_cap = 0.30\n", "reduction_cap = 0.30\nsecond_upper_rate = 9.9\nsecond_cap = 0.5\n"),),
    )
    message = refused(fourth_band)
    assert "[policy.nhs] has unknown key(s) second_cap, second_upper_rate" in message, message
    for command in (["run"], ["scenarios", "--grid", str(tmp_path / "grid.toml")], ["monitor"]):
        result = invoke_cli([*command, "--config", str(fourth_band), "--data-dir", str(tmp_path)])
        assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
        assert "second_upper_rate" in result.stderr and str(fourth_band) in result.stderr
