"""Input files whose names are not UTF-8 (issue 18): every command refuses them in one line that names the file
with its odd bytes escaped and says to rename it (exit 1, nothing published), where it ended in an internal
UnicodeEncodeError; and every error line prints odd characters escaped, whatever the stream's encoding."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from dtoc.ingest.text import printable
from flows.reporting import fail
from tests.conftest import invoke_cli, link_real_quarter
from tests.support.assure_support import write_plans, write_synthetic_publication

ODD = os.fsdecode(b"plan\xe9s")  # 'plans' with an e-acute in Latin-1: the byte 0xe9, not UTF-8
SHOWN = "plan\\xe9s"  # how a message shows it
CODE = "E90000001"


def one_refusal(args: list[str], out: Path) -> str:
    result = invoke_cli([*args, "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dtoc: error: "), result.stderr
    assert SHOWN in lines[0] and "not valid UTF-8" in lines[0] and "rename the file" in lines[0]
    assert "internal error" not in lines[0] and not out.exists()
    return lines[0]


@pytest.fixture
def publication(tmp_path) -> Path:
    row = {"hwb_code": CODE, "hwb_name": "Area", "region": "Region"}
    daily = {f"{kind}_{part}_daily": 1.0 for kind in ("baseline", "expected") for part in ("nhs", "asc", "joint")}
    return write_synthetic_publication(tmp_path / "pub", [{**row, **daily, "expected_total_daily": 3.0}])


def test_assure_and_split_refuse_a_plans_or_shares_file_named_in_another_encoding(tmp_path, publication):
    plans = write_plans(tmp_path / f"{ODD}.csv", [[CODE, "2018-09", 1, 1, 1, ""]])
    one_refusal(["assure", str(plans), "--expectations", str(publication)], tmp_path / "assured")
    shares = tmp_path / f"{ODD}-shares.csv"
    shares.write_text(f"hwb_code,ccg_code,ccg_name,nhs_share\n{CODE},00A,Alpha,1\n", encoding="utf-8")
    one_refusal(["split", str(shares), "--expectations", str(publication)], tmp_path / "split")


def test_scenarios_refuse_a_policies_or_grid_file_named_in_another_encoding(tmp_path):
    policies = tmp_path / f"{ODD}.csv"
    policies.write_text(
        "policy,nhs_target,nhs_upper,nhs_cap,asc_target,asc_upper,asc_cap\na,5.5,7.9,0.3,2.6,4.3,0.4\n",
        encoding="utf-8",
    )
    one_refusal(["scenarios", str(policies), "--data-dir", str(tmp_path)], tmp_path / "swept")
    grid = tmp_path / f"{ODD}.toml"
    grid.write_text("nhs_target = 5.5\n", encoding="utf-8")
    one_refusal(["scenarios", "--grid", str(grid), "--data-dir", str(tmp_path)], tmp_path / "swept")


def test_run_refuses_a_workbook_named_in_another_encoding_before_prefect(tmp_path, real_workbook, real_data):
    data = link_real_quarter(tmp_path / "data", real_workbook, real_data, skip="December 2017")
    os.symlink(real_workbook("December 2017"), data / f"{ODD}-december.xls")
    line = one_refusal(["run", "--data-dir", str(data), "--no-fetch"], tmp_path / "published")
    assert f"{SHOWN}-december.xls" in line


def test_every_error_line_escapes_odd_characters_on_any_stream(monkeypatch):
    """A strict UTF-8 stream (a pipe, a log file) takes the line: a file name's undecodable byte, a terminal
    escape sequence, a right-to-left override and a zero-width space are shown as backslash escapes; other
    text, a no-break space and an en dash included, as it is."""
    message = "file /data/plan\udce9s.csv: bad \x1b[2J cell \u202eevil\u200b, 34\u00a0days \u2013 see row 7"
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr("sys.stderr", stream)
    assert fail(message) == 1
    stream.seek(0)
    assert stream.read() == (
        "dtoc: error: file /data/plan\\xe9s.csv: bad \\x1b[2J cell \\u202eevil\\u200b, 34\u00a0days \u2013 see row 7\n"
    )
    assert printable("line\twith a tab") == "line\\x09with a tab"


def test_an_output_folder_named_in_another_encoding_is_refused_before_any_work(tmp_path, real_workbook, real_data):
    data = link_real_quarter(tmp_path / "data", real_workbook, real_data)
    out = Path(os.fsdecode(bytes(tmp_path) + b"/r\xe9sultats"))
    result = invoke_cli(["run", "--data-dir", str(data), "--out", str(out), "--no-fetch"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "\\udce9" in result.stderr or "\\xe9" in result.stderr
    assert "not valid UTF-8" in result.stderr and not out.exists()
