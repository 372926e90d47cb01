"""The evaluation council: aggregation, quorum, conflicts, members' forms, stale and faulty forms,
disagreement and leniency normalisation.

Every expected figure is worked out by hand in the test (arithmetic in the comments). The end-to-end
tests use five sample dossiers (hn01..hn05), forms written by ``spcncl-score council forms`` and filled
with openpyxl as a member would in Excel, then read back by ``evaluate --council --scores``.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from spcncl_score.cli.commands import app
from spcncl_score.council.aggregate import CouncilResult, aggregate, trimmed_mean
from spcncl_score.council.conflicts import ConflictFound, find_conflicts
from spcncl_score.council.model import Council
from spcncl_score.evaluation.pipeline import evaluate
from spcncl_score.scoring.result import RunResult
from tests.council_helpers import (
    COMPUTED_TOTAL,
    D2,
    FORM_SHEET,
    ROOT,
    SUBSET,
    codes,
    copy_dossiers,
    fill_forms,
    form_path,
    form_rows,
    hanoi_council,
    issues_of,
    long_scores,
    sheet_header,
    sheet_rows,
    small_council,
    write_yaml,
)
from tests.helpers import build, council, criteria_dict, group

approx = pytest.approx
CID = "hd-test-2025"  # id of hanoi_council()

# ---------------------------------------------------------------------------------------------
# 1. Pure aggregation: a small council (chair ch + u1..u4 voting, secretary tk), two dossiers
# ---------------------------------------------------------------------------------------------

DA, DB = "dA", "dB"
# computed points (criteria other than d2): dA 12 + 15 = 27, dB 4 + 10 = 14
COMPUTED = pd.DataFrame({"a1_growth": [12.0, 4.0], "a2_scale": [15.0, 10.0]}, index=pd.Index([DA, DB], name="dossier"))
VOTING = {"ch", "u1", "u2", "u3", "u4"}
SCORES = {
    "ch": {DA: 10, DB: 4},
    "u1": {DA: 6, DB: 5},
    "u2": {DA: 7, DB: 5},
    "u3": {DA: 9, DB: 6},
    "u4": {DA: 2, DB: 5.5},
}


def agg(
    cm: Council,
    cs,
    scores: pd.DataFrame | None = None,
    *,
    attending: set[str] = VOTING,
    conflicts: list[ConflictFound] | None = None,
    computed: pd.DataFrame = COMPUTED,
    dossiers: list[str] | None = None,
) -> CouncilResult:
    return aggregate(
        cm,
        cs,
        dossiers or [DA, DB],
        computed,
        long_scores(SCORES) if scores is None else scores,
        conflicts or [],
        attending,
    )


def stat(cr: CouncilResult, dossier: str, col: str) -> float:
    row = cr.stats[(cr.stats["dossier"] == dossier) & (cr.stats["criterion"] == D2)]
    assert len(row) == 1
    return float(row[col].iloc[0])


# dA: 10, 6, 7, 9, 2 -> sum 34, mean 6.8; sorted 2 6 7 9 10 -> median 7; trimming 20 % drops one at
#     each end -> 6 7 9 -> 22/3; deviations 3.2 -.8 .2 2.2 -4.8 -> squares 38.8 -> sample var 9.7
# dB: 4, 5, 5, 6, 5.5 -> sum 25.5, mean 5.1; sorted 4 5 5 5.5 6 -> median 5; trimmed 5 5 5.5 -> 15.5/3;
#     deviations -1.1 -.1 -.1 .9 .4 -> squares 2.2 -> sample var .55
@pytest.mark.parametrize(
    "how, extra, a, b",
    [
        ("mean", {}, 6.8, 5.1),
        ("median", {}, 7.0, 5.0),
        ("trimmed_mean", {"trim_fraction": 0.2}, 22 / 3, 15.5 / 3),
        # 10 % of five scores is half a score: floor -> nothing trimmed, the plain mean
        ("trimmed_mean", {}, 6.8, 5.1),
    ],
)
def test_aggregation_methods(hanoi, how, extra, a, b):
    cr = agg(small_council(aggregation=how, **extra), hanoi)
    assert list(cr.points.columns) == [D2]
    assert cr.points.at[DA, D2] == approx(a)
    assert cr.points.at[DB, D2] == approx(b)
    assert stat(cr, DA, "aggregate") == approx(a)
    # the descriptive statistics do not depend on the method
    assert stat(cr, DA, "n") == 5 and stat(cr, DB, "n") == 5
    assert stat(cr, DA, "mean") == approx(6.8) and stat(cr, DB, "mean") == approx(5.1)
    assert stat(cr, DA, "median") == approx(7) and stat(cr, DB, "median") == approx(5)
    assert stat(cr, DA, "std") == approx(math.sqrt(9.7)) and stat(cr, DB, "std") == approx(math.sqrt(0.55))
    assert (stat(cr, DA, "min"), stat(cr, DA, "max"), stat(cr, DA, "spread")) == (2, 10, 8)
    assert (stat(cr, DB, "min"), stat(cr, DB, "max"), stat(cr, DB, "spread")) == (4, 6, 2)


def test_member_totals_are_computed_points_plus_own_council_points(hanoi):
    cr = agg(small_council(), hanoi)
    # dA base 27: ch 37, u1 33, u2 34, u3 36, u4 29; dB base 14: 18, 19, 19, 20, 19.5
    assert cr.member_totals.loc[DA].to_dict() == {"ch": 37, "u1": 33, "u2": 34, "u3": 36, "u4": 29}
    assert cr.member_totals.loc[DB].to_dict() == {"ch": 18, "u1": 19, "u2": 19, "u3": 20, "u4": 19.5}
    # spreads 37 - 29 = 8 and 20 - 18 = 2: nothing above the threshold of 10
    assert cr.disagreements.empty
    assert "council-disagreement" not in codes(cr.issues)
    assert cr.quorum.all() and cr.present.to_dict() == {DA: 5, DB: 5}


def test_member_who_scored_nothing_for_a_dossier_has_no_total_there(hanoi):
    scores = long_scores({"ch": {DA: 8, DB: 4}, "u1": {DA: 6}})
    cr = agg(small_council(), hanoi, scores)
    assert cr.member_totals.at[DA, "u1"] == 33  # 27 + 6
    assert math.isnan(cr.member_totals.at[DB, "u1"])
    assert cr.points.at[DB, D2] == 4  # ch alone
    assert set(cr.member_totals.columns) == {"ch", "u1"}  # members with no score at all are left out


def test_secretary_scores_are_ignored_and_said_so(hanoi):
    scores = pd.concat([long_scores(SCORES), long_scores({"tk": {DA: 0}})], ignore_index=True)
    cr = agg(small_council(), hanoi, scores)
    assert cr.points.at[DA, D2] == approx(6.8)  # unchanged: the secretary does not vote
    assert stat(cr, DA, "n") == 5
    [w] = issues_of(cr.issues, "council-not-assigned")
    assert w.params["member"] == "tk" and w.params["criterion"] == D2
    assert "tk" not in set(cr.raw["member"])


def test_trimmed_mean_function():
    # NaN dropped; five values, 20 % -> one off each end: 2 3 4
    assert trimmed_mean(np.array([100.0, 1.0, np.nan, 3.0, 2.0, 4.0]), 0.2) == 3.0
    # two values, 0.49 -> floor(0.98) = 0 trimmed
    assert trimmed_mean(np.array([1.0, 9.0]), 0.49) == 5.0
    assert math.isnan(trimmed_mean(np.array([np.nan]), 0.2))


# ---------------------------------------------------------------------------------------------
# 2. Quorum: 0.75 of five voting members -> ceil(3.75) = 4, chair required
# ---------------------------------------------------------------------------------------------


def only(members: set[str]) -> pd.DataFrame:
    return long_scores({m: s for m, s in SCORES.items() if m in members})


@pytest.mark.parametrize(
    "fraction, n_voting, needed",
    [
        (0.75, 5, 4),  # 3.75 -> 4
        (0.75, 4, 3),  # exactly 3
        (0.6, 5, 3),  # exactly 3
        (0.7, 10, 7),  # 0.7 * 10 = 7.000000000000001 in floating point: still 7
        (0.5, 5, 3),  # 2.5 -> 3
        (1.0, 5, 5),
    ],
)
def test_quorum_size_rounds_up(fraction, n_voting, needed):
    members = [{"id": "ch", "name": "C", "organisation": "O", "role": "chair"}]
    members += [{"id": f"u{i}", "name": f"U{i}", "organisation": "O"} for i in range(1, n_voting)]
    members += [{"id": "tk", "name": "T", "organisation": "O", "role": "secretary"}]
    cm = small_council(members=members, quorum={"fraction": fraction})
    assert len(cm.voting) == n_voting
    assert cm.quorum_size() == needed


def test_quorum_just_met(hanoi):
    present = {"ch", "u1", "u2", "u3"}  # 4 of 5 = needed
    cr = agg(small_council(), hanoi, only(present), attending=present)
    assert cr.quorum.to_dict() == {DA: True, DB: True}
    assert cr.present.to_dict() == {DA: 4, DB: 4}
    assert "council-quorum" not in codes(cr.issues)
    assert cr.points.at[DA, D2] == approx((10 + 6 + 7 + 9) / 4)


def test_quorum_just_missed(hanoi):
    present = {"ch", "u1", "u2"}  # 3 of 5 < 4
    cr = agg(small_council(), hanoi, only(present), attending=present)
    assert cr.quorum.to_dict() == {DA: False, DB: False}
    warns = issues_of(cr.issues, "council-quorum")
    assert [w.params["dossier"] for w in warns] == [DA, DB]
    assert {(w.params["present"], w.params["voting"], w.params["needed"]) for w in warns} == {(3, 5, 4)}
    # the aggregate is still computed (the council may see it), only recognition is withheld
    assert cr.points.at[DA, D2] == approx((10 + 6 + 7) / 3)


def test_chair_absent_means_no_quorum(hanoi):
    present = {"u1", "u2", "u3", "u4"}  # four present, but not the chair
    cr = agg(small_council(), hanoi, only(present), attending=present)
    assert cr.present.to_dict() == {DA: 4, DB: 4}
    assert not cr.quorum.any()
    assert all(" và Chủ tịch" in w.message("vi") for w in issues_of(cr.issues, "council-quorum"))
    cr = agg(small_council(quorum={"fraction": 0.75, "chair_required": False}), hanoi, only(present), attending=present)
    assert cr.quorum.all()


def test_conflicted_members_count_as_absent_for_that_dossier(hanoi):
    conflicts = [ConflictFound("u1", DB, "0100000001", True, "—"), ConflictFound("u2", DB, "0100000001", True, "—")]
    cr = agg(small_council(), hanoi, conflicts=conflicts)
    assert cr.present.to_dict() == {DA: 5, DB: 3}
    assert cr.quorum.to_dict() == {DA: True, DB: False}
    # dB without u1 and u2: 4, 6, 5.5 -> 15.5 / 3
    assert cr.points.at[DB, D2] == approx(15.5 / 3)


def test_chair_conflicted_with_dossier_is_absent_for_it(hanoi):
    conflicts = [ConflictFound("ch", DB, "0100000001", True, "—")]
    cr = agg(small_council(), hanoi, conflicts=conflicts)
    assert cr.present.to_dict() == {DA: 5, DB: 4}  # this part holds
    assert cr.quorum.to_dict() == {DA: True, DB: False}


# ---------------------------------------------------------------------------------------------
# 3. Conflicts of interest: declared, detected by tax code (incl. branches) or organisation name
# ---------------------------------------------------------------------------------------------

HN01_TAX, HN01_NAME = "0109615386", "Công ty Cổ phần Cơ khí Chính xác Đông Anh"
HN02_TAX, HN02_NAME = "0102993283", "Công ty TNHH Thiết bị Điện Sóc Sơn"
DOSSIERS = {"hn01": (HN01_TAX, HN01_NAME), "hn02": (HN02_TAX, HN02_NAME)}


def with_member(org: str, tax: str | None = None, **over: Any) -> Council:
    members = [
        {"id": "ch", "name": "Chủ tịch", "organisation": "UBND", "role": "chair"},
        {"id": "u1", "name": "Ủy viên", "organisation": org, "organisation_tax_code": tax},
    ]
    return small_council(members=members, **over)


def test_declared_conflict():
    cm = small_council(conflicts=[{"member": "u3", "tax_code": "0102 993 283", "reason": "Vợ là kế toán trưởng"}])
    assert find_conflicts(cm, DOSSIERS) == [ConflictFound("u3", "hn02", HN02_TAX, True, "Vợ là kế toán trưởng")]


def test_declared_conflict_with_parent_covers_a_branch_dossier():
    cm = small_council(conflicts=[{"member": "u3", "tax_code": HN02_TAX}])
    found = find_conflicts(cm, {"b": (HN02_TAX + "-001", "Chi nhánh")})
    assert found == [ConflictFound("u3", "b", HN02_TAX + "-001", True, "—")]


def test_declared_conflict_with_branch_covers_the_parent_dossier():
    cm = small_council(conflicts=[{"member": "u3", "tax_code": HN02_TAX + "-001"}])
    assert [(f.member, f.dossier) for f in find_conflicts(cm, DOSSIERS)] == [("u3", "hn02")]


def test_detected_by_organisation_tax_code():
    found = find_conflicts(with_member("Văn phòng đại diện", HN01_TAX), DOSSIERS)
    assert found == [ConflictFound("u1", "hn01", HN01_TAX, False, "Văn phòng đại diện")]


def test_detected_by_branch_tax_code_matching_the_parent():
    # the member works at a branch (10 digits + '-001') of the enterprise that submitted hn01
    found = find_conflicts(with_member("Chi nhánh Sóc Sơn", HN01_TAX + "-001"), DOSSIERS)
    assert found == [ConflictFound("u1", "hn01", HN01_TAX, False, "Chi nhánh Sóc Sơn")]
    # and the other way round: the member at the parent, the dossier from a branch
    found = find_conflicts(with_member("Trụ sở chính", HN01_TAX), {"b": (HN01_TAX + "-002", "Chi nhánh 2")})
    assert [(f.member, f.dossier, f.declared) for f in found] == [("u1", "b", False)]


def test_detected_by_organisation_name():
    found = find_conflicts(with_member("  CÔNG TY Cổ phần Cơ khí   Chính xác Đông Anh"), DOSSIERS)
    assert [(f.member, f.dossier, f.declared) for f in found] == [("u1", "hn01", False)]


def test_no_conflict_for_other_codes_or_empty_codes():
    assert find_conflicts(with_member("Sở Công Thương", "0109615387"), DOSSIERS) == []
    assert find_conflicts(with_member("Sở Công Thương", HN01_TAX), {"x": ("", "Công ty khác")}) == []
    cm = small_council(conflicts=[{"member": "u3", "tax_code": HN01_TAX}])
    assert find_conflicts(cm, {"x": ("", "Công ty khác")}) == []


def test_declared_and_detected_conflict_reported_once_as_declared():
    cm = with_member(HN01_NAME, HN01_TAX, conflicts=[{"member": "u1", "tax_code": HN01_TAX, "reason": "cổ đông"}])
    assert find_conflicts(cm, DOSSIERS) == [ConflictFound("u1", "hn01", HN01_TAX, True, "cổ đông")]


def test_conflicted_scores_are_excluded_from_aggregation(hanoi):
    conflicts = [ConflictFound("u4", DA, "0100000001", False, "Công ty A")]
    cr = agg(small_council(), hanoi, conflicts=conflicts)  # the scores still hold u4's 2 for dA
    # dA without u4: 10 6 7 9 -> 32 / 4 = 8
    assert cr.points.at[DA, D2] == 8
    assert stat(cr, DA, "n") == 4
    assert math.isnan(cr.member_totals.at[DA, "u4"]) and cr.member_totals.at[DB, "u4"] == 19.5
    assert not ((cr.raw["member"] == "u4") & (cr.raw["dossier"] == DA)).any()
    [i] = issues_of(cr.issues, "council-conflict-detected")
    assert i.params["member"] == "u4" and i.location.file == DA


# ---------------------------------------------------------------------------------------------
# End-to-end set-up: five dossiers, forms written once per module and copied for each test
# ---------------------------------------------------------------------------------------------

# member -> dossier -> d2 score typed into the form (m05 has no hn01 row: conflicted)
FILLED = {
    "m01": {"hn01": 9, "hn02": 6, "hn03": 10, "hn04": 2, "hn05": 7.5},
    "m02": {"hn01": 8, "hn02": 7, "hn03": 9, "hn04": 3, "hn05": 8},
    "m03": {"hn01": 7, "hn02": 5, "hn03": 9, "hn04": 4, "hn05": 6.5},
    "m04": {"hn01": 8, "hn02": 6, "hn03": 8, "hn04": 5, "hn05": 7},
    "m05": {"hn02": 6, "hn03": 9, "hn04": 6, "hn05": 8},
}
# means: hn01 (9+8+7+8)/4 = 8; hn02 30/5 = 6; hn03 45/5 = 9; hn04 20/5 = 4; hn05 37/5 = 7.4
MEAN = {"hn01": 8.0, "hn02": 6.0, "hn03": 9.0, "hn04": 4.0, "hn05": 7.4}

runner = CliRunner()


def cli(*args: str) -> Any:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def make_forms(dossiers: Path, council_file: Path, out: Path) -> Any:
    res = cli("council", "forms", dossiers, "--council", council_file, "-o", out)
    assert res.exit_code == 0, res.output
    return res


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> tuple[Path, Path]:
    """Dossiers hn01..hn05 and the blank forms of hanoi_council() for them."""
    base = tmp_path_factory.mktemp("council")
    dossiers = copy_dossiers(base / "dossiers")
    forms = base / "forms"
    make_forms(dossiers, write_yaml(base / "council.yaml", hanoi_council()), forms)
    return dossiers, forms


@dataclass
class Env:
    tmp: Path
    dossiers: Path
    forms: Path
    council_file: Path

    def council(self, **over: Any) -> Path:
        return write_yaml(self.council_file, hanoi_council(**over))

    def fill(self, table: dict[str, dict[str, Any]] = FILLED, comments: dict | None = None) -> dict:
        return fill_forms(self.forms, CID, table, comments)

    def form(self, member: str) -> Path:
        return form_path(self.forms, CID, member)

    def run(self) -> RunResult:
        return evaluate([self.dossiers], council=self.council_file, scores=self.forms)


@pytest.fixture
def env(blank, tmp_path) -> Env:
    dossiers, forms = blank
    e = Env(tmp_path, dossiers, tmp_path / "F", tmp_path / "council.yaml")
    shutil.copytree(forms, e.forms)
    e.council()
    return e


def d2(result: RunResult, key: str) -> float:
    assert result.scores is not None
    return float(result.scores.points.at[SUBSET[key], D2])


# ---------------------------------------------------------------------------------------------
# 3 (cont.). Conflicted dossiers are left out of the member's form
# ---------------------------------------------------------------------------------------------


def form_dossiers(path: Path) -> set[str]:
    return {d for _, d, _, _ in form_rows(path)}


def form_text(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    try:
        return [str(c.value) for row in wb[FORM_SHEET].iter_rows() for c in row if isinstance(c.value, str)]
    finally:
        wb.close()


def test_forms_leave_out_conflicted_dossiers(blank, tmp_path):
    dossiers, _ = blank
    members = hanoi_council()["members"]
    # m05 now at a branch of hn01's enterprise, under a name that does not match hn01's
    members[4].update(organisation="Chi nhánh Công ty Cơ khí tại Sóc Sơn", organisation_tax_code=HN01_TAX + "-001")
    cfile = write_yaml(
        tmp_path / "c.yaml",
        hanoi_council(
            members=members, conflicts=[{"member": "m03", "tax_code": HN02_TAX, "reason": "Vợ là kế toán trưởng"}]
        ),
    )
    res = make_forms(dossiers, cfile, tmp_path / "F")
    every = set(SUBSET.values())
    assert form_dossiers(form_path(tmp_path / "F", CID, "m05")) == every - {SUBSET["hn01"]}
    assert form_dossiers(form_path(tmp_path / "F", CID, "m03")) == every - {SUBSET["hn02"]}
    for m in ("m01", "m02", "m04"):
        assert form_dossiers(form_path(tmp_path / "F", CID, m)) == every
    assert not form_path(tmp_path / "F", CID, "m06").exists()  # the secretary does not score
    # one input cell per dossier the member scores (d2 only)
    assert f"phieu-{CID}-m05.xlsx: 4 ô điểm (xung đột lợi ích, không chấm: {SUBSET['hn01']})" in res.output
    assert f"phieu-{CID}-m01.xlsx: 5 ô điểm\n" in res.output
    text = form_text(form_path(tmp_path / "F", CID, "m03"))
    assert "Hồ sơ không chấm do xung đột lợi ích:" in text
    assert f"{SUBSET['hn02']} (MST {HN02_TAX}) — khai báo: Vợ là kế toán trưởng" in text
    text = form_text(form_path(tmp_path / "F", CID, "m05"))
    assert f"{SUBSET['hn01']} (MST {HN01_TAX}) — cùng tổ chức: Chi nhánh Công ty Cơ khí tại Sóc Sơn" in text


def test_form_rows_hold_computed_points_and_blank_score_cells(blank):
    _, forms = blank
    rows = form_rows(form_path(forms, CID, "m01"))
    d2_rows = [r for r in rows if r[2] == D2]
    assert [r[1] for r in d2_rows] == list(SUBSET.values())  # ranking order, all blank
    assert all(r[3] is None for r in d2_rows)
    wb = openpyxl.load_workbook(form_path(forms, CID, "m01"))
    try:
        assert wb["_meta"].sheet_state == "veryHidden"
        assert wb[FORM_SHEET].column_dimensions["L"].hidden
    finally:
        wb.close()


def test_conflict_declared_after_forms_were_filled_still_excludes_the_scores(env):
    env.fill()
    env.council(conflicts=[{"member": "m04", "tax_code": "0105823321", "reason": "cổ đông"}])  # hn03's code
    r = env.run()
    # hn03 without m04's 8: 10 9 9 9 -> 37 / 4 = 9.25
    assert d2(r, "hn03") == 9.25
    raw = r.council.raw
    assert not ((raw["member"] == "m04") & (raw["dossier"] == SUBSET["hn03"])).any()
    assert [i.params["member"] for i in issues_of(r.issues, "council-conflict-declared")] == ["m04"]
    assert r.council.present[SUBSET["hn03"]] == 4 and r.council.quorum[SUBSET["hn03"]]


# ---------------------------------------------------------------------------------------------
# 4. End to end through the CLI, report read back
# ---------------------------------------------------------------------------------------------


def test_end_to_end_cli_report(env):
    env.council(disagreement_threshold=3.5)
    env.fill(comments={"m02": {"hn03": "Dây chuyền tự động hóa toàn bộ"}})
    out = env.tmp / "report.xlsx"
    res = cli("evaluate", env.dossiers, "--council", env.council_file, "--scores", env.forms, "-o", out, "-q")
    assert res.exit_code == 0, res.output

    # recognition: computed total + council mean, by hand
    # hn01 80 + 8 = 88, hn02 78 + 6 = 84, hn03 71 + 9 = 80, hn04 72 + 4 = 76, hn05 68 + 7.4 = 75.4
    rec = sheet_rows(out, "Đề nghị công nhận")
    assert [(r[0], r[2], r[4], r[5], r[6]) for r in rec] == [
        (1, "0109615386", 88, 1, "Top 10"),
        (2, "0102993283", 84, 2, "Top 10"),
        (3, "0105823321", 80, 3, "Top 10"),
        (4, "0105823836", 76, 4, "Top 10"),
        (5, "0105796269", approx(75.4), 5, "Top 10"),
    ]

    stats = sheet_rows(out, "Tổng hợp Hội đồng")
    assert sheet_header(out, "Tổng hợp Hội đồng") == [
        "Tệp",
        "Mã tiêu chí",
        "Số người chấm",
        "Trung bình",
        "Trung vị",
        "Độ lệch chuẩn",
        "Chênh lệch (max−min)",
        "Điểm tổng hợp",
    ]
    # std: hn01 devs 1 0 -1 0 -> 2/3; hn02 0 1 -1 0 0 -> 2/4; hn03 1 0 0 -1 0 -> 2/4;
    #      hn04 -2 -1 0 1 2 -> 10/4; hn05 .1 .6 -.9 -.4 .6 -> 1.7/4
    expected = [
        ("hn01", 4, 8, 8, math.sqrt(2 / 3), 2, 8),
        ("hn02", 5, 6, 6, math.sqrt(0.5), 2, 6),
        ("hn03", 5, 9, 9, math.sqrt(0.5), 2, 9),
        ("hn04", 5, 4, 4, math.sqrt(2.5), 4, 4),
        ("hn05", 5, 7.4, 7.5, math.sqrt(0.425), 1.5, 7.4),
    ]
    assert len(stats) == 5
    for row, (key, n, mean, median, std, spread, aggv) in zip(stats, expected, strict=True):
        assert row[0] == SUBSET[key] and row[1] == D2
        assert row[2:] == [n, approx(mean), approx(median), approx(std), approx(spread), approx(aggv)]

    members = sheet_rows(out, "Điểm thành viên")
    assert len(members) == 24  # 5 x 5 - m05 on hn01
    got = {(r[0], r[3]): r[5] for r in members}
    names = {m["id"]: m["name"] for m in hanoi_council()["members"]}
    want = {(SUBSET[d], names[m]): v for m, s in FILLED.items() for d, v in s.items()}
    assert got == approx(want)
    assert all(r[6] is None for r in members)  # no normalisation asked for
    [commented] = [r for r in members if r[7]]
    assert commented[0] == SUBSET["hn03"] and commented[3] == "Trần Thị Bình"
    assert commented[7] == "Dây chuyền tự động hóa toàn bộ"

    # member totals of hn04: 72 + 2, 3, 4, 5, 6 -> spread 4 > 3.5; every other spread is at most 2
    dis = sheet_rows(out, "Bất đồng")
    assert sheet_header(out, "Bất đồng") == [
        "Tệp",
        "Doanh nghiệp",
        "Chênh lệch (max−min)",
        *[names[m] for m in ("m01", "m02", "m03", "m04", "m05")],
    ]
    assert dis == [[SUBSET["hn04"], "Công ty Cổ phần Điện tử Thăng Long Việt", 4, 74, 75, 76, 77, 78]]

    minutes = sheet_rows(out, "Biên bản thống nhất")
    assert len(minutes) == 1
    assert minutes[0][:3] == [1, SUBSET["hn04"], "Công ty Cổ phần Điện tử Thăng Long Việt"]
    assert minutes[0][3] == (
        f"Hồ sơ {SUBSET['hn04']}: tổng điểm của các thành viên chênh nhau 4 điểm (> 3,5); Hội đồng cần thảo luận."
    )
    assert minutes[0][4] in (None, "")

    # self-scores against the council's aggregate (d2) and the computed points (the rest): the
    # samples claim d2 9, 6, 10, 6, 7 and hn05 claims 8 for b1 where 6 is computed; within tolerance
    rec_rows = sheet_rows(out, "Đối chiếu tự chấm")
    assert rec_rows[0][0].startswith("Đã đối chiếu 45 điểm tự chấm: 40 điểm khớp")
    assert [(r[0][:4], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rec_rows[1:]] == [
        ("hn01", D2, 9, 8, 1, "Điểm Hội đồng", None),
        ("hn03", D2, 10, 9, 1, "Điểm Hội đồng", None),
        ("hn04", D2, 6, 4, 2, "Điểm Hội đồng", None),
        ("hn05", "b1_productivity", 8, 6, 2, "Tính từ số liệu", None),
        ("hn05", D2, 7, approx(7.4), approx(-0.4), "Điểm Hội đồng", None),
    ]


def test_end_to_end_points_equal_hand_mean(env):
    env.fill()
    r = env.run()
    for key, mean in MEAN.items():
        assert d2(r, key) == approx(mean)
        assert float(r.scores.total[SUBSET[key]]) == approx(COMPUTED_TOTAL[key] + mean)
        assert r.scores.basis.at[SUBSET[key], D2] == "council"
    others = {SUBSET[k]: 5 for k in ("hn02", "hn03", "hn04", "hn05")}
    assert r.council.present.to_dict() == {SUBSET["hn01"]: 4, **others}
    assert r.scores.outcome["recognised"].all()
    council_codes = codes(r.issues)
    assert council_codes == ["council-conflict-detected"]  # nothing missing, nothing stale
    assert not [i for i in r.issues if i.code.startswith("score-self-score")]  # self-scores no longer stand in


# ---------------------------------------------------------------------------------------------
# 2 (cont.). Quorum end to end: reason-no-quorum
# ---------------------------------------------------------------------------------------------


def reasons(r: RunResult, key: str) -> list:
    return r.scores.reasons(SUBSET[key])


def test_quorum_missed_for_conflicted_dossier_end_to_end(env):
    env.fill()
    env.form("m04").unlink()
    r = env.run()
    # hn01: m01 m02 m03 (m04 no form, m05 conflicted) = 3 < 4; the others: m01 m02 m03 m05 = 4 (just met)
    assert r.council.present[SUBSET["hn01"]] == 3
    out = r.scores.outcome
    assert not out.at[SUBSET["hn01"], "recognised"]
    [reason] = [x for x in reasons(r, "hn01") if x.code == "reason-no-quorum"]
    assert reason.params == {"present": 3.0, "needed": 4.0}
    for key in ("hn02", "hn03", "hn04", "hn05"):
        assert out.at[SUBSET[key], "recognised"], key
        assert not [x for x in reasons(r, key) if x.code == "reason-no-quorum"]
    assert d2(r, "hn01") == 8  # (9 + 8 + 7) / 3: points still computed
    assert [i.params["member"] for i in issues_of(r.issues, "council-form-missing")] == ["m04"]
    assert [i.params["dossier"] for i in issues_of(r.issues, "council-quorum")] == [SUBSET["hn01"]]


def test_chair_absent_end_to_end(env):
    env.fill()
    env.form("m01").unlink()
    out = env.tmp / "r.xlsx"
    res = cli("evaluate", env.dossiers, "--council", env.council_file, "--scores", env.forms, "-o", out, "-q")
    assert res.exit_code == 0, res.output  # warnings only
    assert sheet_rows(out, "Đề nghị công nhận") == []  # nobody recognised without the chair
    minutes = sheet_rows(out, "Biên bản thống nhất")
    assert len(minutes) == 5 and all("không đủ túc số" in m[3] for m in minutes)
    ranking = sheet_rows(out, "Phân tích xếp hạng")
    why = {r[-1]: r[14] for r in ranking}
    # hn02: m02..m05 = 4 present; hn01: m02..m04 = 3
    assert why[SUBSET["hn02"]] == "Không đủ túc số Hội đồng (4/4)"
    assert why[SUBSET["hn01"]] == "Không đủ túc số Hội đồng (3/4)"


# ---------------------------------------------------------------------------------------------
# 5. Stale forms: another round, or another dossier set
# ---------------------------------------------------------------------------------------------


def assert_all_stale(r: RunResult, code: str = "council-form-stale") -> None:
    stale = issues_of(r.issues, code)
    assert sorted(i.location.file for i in stale) == [f"F/phieu-{CID}-m0{k}.xlsx" for k in range(1, 6)]
    assert all(i.is_error for i in stale)
    assert all(i.params["found"] != i.params["expected"] for i in stale)
    assert r.council.raw.empty
    assert len(issues_of(r.issues, "council-form-missing")) == 5
    assert not r.scores.outcome["recognised"].any()


def test_form_for_another_round_is_refused(env):
    env.fill()
    env.council(round="preliminary")
    assert_all_stale(env.run(), code="council-form-wrong-round")


def test_withdrawn_dossier_leaves_the_other_scores_standing(env, tmp_path):
    env.fill()
    before = env.run()
    # hn05 is withdrawn after the members filled their forms
    dossiers = copy_dossiers(tmp_path / "fewer", ["hn01", "hn02", "hn03", "hn04"])
    after = evaluate([dossiers], council=env.council_file, scores=env.forms)
    assert not after.has_errors
    kept = [SUBSET[k] for k in ("hn01", "hn02", "hn03", "hn04")]
    for d in kept:  # same council points, same totals, same recognition
        assert after.scores.points.at[d, D2] == before.scores.points.at[d, D2]
        assert after.scores.total[d] == before.scores.total[d]
        assert after.scores.outcome.at[d, "recognised"] == before.scores.outcome.at[d, "recognised"]
        assert after.council.quorum[d]
    assert after.scores.outcome.loc[kept, "recognised"].any()
    # each member's hn05 scores are reported once, naming member, dossier and form, and ignored
    withdrawn = issues_of(after.issues, "council-form-dossier-withdrawn")
    assert sorted((i.params["member"], i.params["file"]) for i in withdrawn) == [
        (f"m0{k}", f"F/phieu-{CID}-m0{k}.xlsx") for k in range(1, 6)
    ]
    assert {i.params["dossier"] for i in withdrawn} == {SUBSET["hn05"]}
    assert all(not i.is_error for i in withdrawn)
    assert SUBSET["hn05"] not in set(after.council.raw["dossier"])
    assert withdrawn[0].message("en") == (
        f"The form of member 'm01' (F/phieu-{CID}-m01.xlsx) holds scores for dossier '{SUBSET['hn05']}', which is "
        "no longer in the dossier set (withdrawn or unreadable); those scores are ignored, "
        "the form's other scores count."
    )


def test_added_dossier_leaves_the_forms_valid_and_is_listed_as_unscored(env, tmp_path):
    env.fill()
    dossiers = copy_dossiers(tmp_path / "more", [*SUBSET, "hn06"])
    r = evaluate([dossiers], council=env.council_file, scores=env.forms)
    for k, mean in MEAN.items():
        assert d2(r, k) == approx(mean)
    hn06 = next(d for d in r.scores.index if str(d).startswith("hn06"))
    assert r.council.present[hn06] == 0 and not r.council.quorum[hn06]
    missing = {i.params["member"]: i.params["items"] for i in issues_of(r.issues, "council-score-missing")}
    assert missing == {m: [f"{hn06}/{D2}"] for m in ("m01", "m02", "m03", "m04", "m05")}


def test_changed_dossier_scores_are_ignored_and_reported(env):
    env.fill()
    # the enterprise sends a corrected hn04 after the forms went out: same file name, other contents
    path = env.dossiers.parent / "changed"
    shutil.copytree(env.dossiers, path)
    wb = openpyxl.load_workbook(path / SUBSET["hn04"])
    wb.properties.title = "bản sửa"
    wb.save(path / SUBSET["hn04"])
    r = evaluate([path], council=env.council_file, scores=env.forms)
    changed = issues_of(r.issues, "council-form-dossier-changed")
    assert sorted(i.params["member"] for i in changed) == ["m01", "m02", "m03", "m04", "m05"]
    assert all(i.is_error and i.params["dossier"] == SUBSET["hn04"] for i in changed)
    assert SUBSET["hn04"] not in set(r.council.raw["dossier"])
    assert not r.council.quorum[SUBSET["hn04"]]
    for k in ("hn01", "hn02", "hn03", "hn05"):
        assert d2(r, k) == approx(MEAN[k])


def test_form_for_other_criteria_is_refused(env, tmp_path):
    env.fill()
    # the same criteria version with the pass mark edited: another fingerprint
    text = (ROOT / "criteria" / "hanoi-spcncl.yaml").read_text(encoding="utf-8")
    crit = tmp_path / "c.yaml"
    crit.write_text(text.replace("  pass_mark: 60\n", "  pass_mark: 59\n"), encoding="utf-8")
    r = evaluate([env.dossiers], crit, council=env.council_file, scores=env.forms)
    stale = issues_of(r.issues, "council-form-stale")
    assert len(stale) == 5 and r.council.raw.empty


def test_stale_forms_make_the_cli_exit_1(env):
    env.fill()
    env.council(round="preliminary")
    res = cli("evaluate", env.dossiers, "--council", env.council_file, "--scores", env.forms, "--no-report", "-q")
    assert res.exit_code == 1


# ---------------------------------------------------------------------------------------------
# 6. Faulty forms: invalid scores, duplicates, missing forms and scores
# ---------------------------------------------------------------------------------------------


def test_out_of_range_and_text_scores(env):
    table = {m: dict(s) for m, s in FILLED.items()}
    table["m02"]["hn01"] = 11  # above the maximum 10
    table["m03"]["hn02"] = "tám"  # a word, not a number
    table["m04"]["hn03"] = -1
    table["m01"].update(hn01=10, hn02=0, hn03="7,5")  # edges and a Vietnamese decimal comma are fine
    rows = env.fill(table)
    r = env.run()
    bad = issues_of(r.issues, "council-score-invalid")
    got = sorted((i.location.file, i.location.sheet, i.location.cell, i.params["value"]) for i in bad)
    assert got == sorted(
        [
            (f"F/phieu-{CID}-m02.xlsx", FORM_SHEET, f"I{rows['m02']['hn01']}", "11"),
            (f"F/phieu-{CID}-m03.xlsx", FORM_SHEET, f"I{rows['m03']['hn02']}", "tám"),
            (f"F/phieu-{CID}-m04.xlsx", FORM_SHEET, f"I{rows['m04']['hn03']}", "-1"),
        ]
    )
    assert all(i.is_error and i.location.field == D2 and i.params["max"] == 10 for i in bad)
    # invalid cells are left out: hn01 10 + 7 + 8 = 25/3; hn02 0 + 7 + 6 + 6 = 19/4; hn03 7.5 + 9 + 9 + 9 = 34.5/4
    assert d2(r, "hn01") == approx(25 / 3)
    assert d2(r, "hn02") == approx(19 / 4)
    assert d2(r, "hn03") == approx(34.5 / 4)
    # ... and listed as still to be scored
    missing = {i.params["member"]: i.params["items"] for i in issues_of(r.issues, "council-score-missing")}
    assert missing == {
        "m02": [f"{SUBSET['hn01']}/{D2}"],
        "m03": [f"{SUBSET['hn02']}/{D2}"],
        "m04": [f"{SUBSET['hn03']}/{D2}"],
    }


def test_duplicate_form_for_one_member_uses_neither(env):
    env.fill()
    shutil.copy2(env.form("m02"), env.forms / "ban-sao-phieu-m02.xlsx")
    r = env.run()
    [dup] = issues_of(r.issues, "council-form-duplicate")
    assert dup.params["member"] == "m02"
    assert sorted(dup.params["files"]) == sorted(["F/ban-sao-phieu-m02.xlsx", f"F/phieu-{CID}-m02.xlsx"])
    assert "m02" not in set(r.council.raw["member"])
    # hn02 without m02's 7: 6 5 6 6 -> 23/4; hn01 without m02 (and m05): 9 7 8 -> 8
    assert d2(r, "hn02") == 5.75
    assert d2(r, "hn01") == 8
    assert r.council.present[SUBSET["hn01"]] == 3 and not r.council.quorum[SUBSET["hn01"]]


def test_missing_form(env):
    env.fill({m: s for m, s in FILLED.items() if m != "m03"})
    env.form("m03").unlink()
    r = env.run()
    assert [i.params["member"] for i in issues_of(r.issues, "council-form-missing")] == ["m03"]
    assert "council-score-missing" not in codes(r.issues)
    # hn02 without m03: 6 7 6 6 -> 25/4
    assert d2(r, "hn02") == 6.25


def test_missing_scores_listed_per_member(env):
    table = {m: dict(s) for m, s in FILLED.items()}
    table["m02"] = {"hn01": 8, "hn02": 7}  # hn03, hn04, hn05 left blank
    table["m05"] = {"hn02": 6, "hn03": 9, "hn04": 6}  # hn05 left blank; hn01 is not on the form
    env.fill(table)
    r = env.run()
    missing = {
        i.params["member"]: (i.params["count"], i.params["items"]) for i in issues_of(r.issues, "council-score-missing")
    }
    assert missing == {
        "m02": (3, [f"{SUBSET[k]}/{D2}" for k in ("hn03", "hn04", "hn05")]),
        "m05": (1, [f"{SUBSET['hn05']}/{D2}"]),
    }
    # hn05 from m01 m03 m04 only: 7.5 + 6.5 + 7 = 21 / 3 = 7
    assert d2(r, "hn05") == 7


# ---------------------------------------------------------------------------------------------
# 7. Disagreement threshold at its edge
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_council_criteria():
    """Two council-scored criteria of 10 points each: members' totals can differ by more than 10."""
    return build(criteria_dict(groups=[group("g", council("c1", 10), council("c2", 10))]))


@pytest.mark.parametrize("low_c2, flagged", [(5.0, False), (4.5, True)])
def test_disagreement_at_the_threshold(two_council_criteria, low_c2, flagged):
    cs = two_council_criteria
    scores = pd.concat(
        [long_scores({"ch": {DA: 10}, "u1": {DA: 5}}, "c1"), long_scores({"ch": {DA: 10}, "u1": {DA: low_c2}}, "c2")],
        ignore_index=True,
    )
    empty = pd.DataFrame(index=pd.Index([DA], name="dossier"))
    cr = aggregate(small_council(criteria_id="test-set"), cs, [DA], empty, scores, [], VOTING)
    # totals: ch 10 + 10 = 20; u1 5 + 5 = 10 (spread 10, not > 10) or 5 + 4.5 = 9.5 (spread 10.5)
    assert cr.member_totals.loc[DA].to_dict() == {"ch": 20, "u1": 5 + low_c2}
    warns = issues_of(cr.issues, "council-disagreement")
    if flagged:
        assert cr.disagreements.to_dict("records") == [{"dossier": DA, "spread": 10.5}]
        [w] = warns
        assert w.params["spread"] == 10.5 and w.params["threshold"] == 10
    else:
        assert cr.disagreements.empty and not warns


@pytest.mark.parametrize("high, flagged", [(6, False), (6.5, True)])
def test_disagreement_edge_on_hanoi(hanoi, high, flagged):
    scores = long_scores({"ch": {DA: 2}, "u1": {DA: high}})
    cr = agg(small_council(disagreement_threshold=4), hanoi, scores, dossiers=[DA])
    # totals 27 + 2 = 29 and 27 + high: spread 4 (= threshold) or 4.5
    assert list(cr.disagreements["dossier"]) == ([DA] if flagged else [])
    assert bool(issues_of(cr.issues, "council-disagreement")) is flagged


def test_hanoi_ten_point_spread_is_not_a_disagreement_end_to_end(env):
    table = {m: dict(s) for m, s in FILLED.items()}
    table["m01"]["hn02"], table["m02"]["hn02"] = 0, 10  # totals 78 and 88: exactly 10 apart
    env.fill(table)
    r = env.run()
    assert "council-disagreement" not in codes(r.issues)
    totals = r.council.member_totals.loc[SUBSET["hn02"]]
    assert (totals["m01"], totals["m02"]) == (78, 88)


# ---------------------------------------------------------------------------------------------
# 8. Leniency normalisation
# ---------------------------------------------------------------------------------------------


def test_normalisation_refused_below_minimum(hanoi):
    dossiers = [DA, DB, "dC"]
    computed = pd.DataFrame({"a1_growth": [0.0, 0.0, 0.0]}, index=pd.Index(dossiers, name="dossier"))
    scores = long_scores({"u1": {DA: 5, DB: 7}, "u2": {DA: 4, DB: 6, "dC": 8}})
    cm = small_council(normalisation={"enabled": True, "min_dossiers": 3})
    cr = aggregate(cm, hanoi, dossiers, computed, scores, [], VOTING)
    [w] = issues_of(cr.issues, "council-normalisation-refused")
    assert w.params == {"member": "u1", "count": 2, "minimum": 3}
    z = cr.raw.set_index(["member", "dossier"])["z"]
    assert z[("u1", DA)] != z[("u1", DA)]  # NaN: not normalised
    # u2: 0.4 0.6 0.8 -> mean 0.6, population sd sqrt(0.08/3) -> z = -1.2247, 0, 1.2247
    sd = math.sqrt(0.08 / 3)
    assert [z[("u2", d)] for d in dossiers] == approx([-0.2 / sd, 0.0, 0.2 / sd])
    assert list(cr.raw.sort_values(["member", "dossier"])["score"]) == [5, 7, 4, 6, 8]  # raw kept


def test_normalisation_minimum_is_at_least_two():
    with pytest.raises(ValidationError):
        small_council(normalisation={"enabled": True, "min_dossiers": 1})


def test_normalisation_end_to_end_keeps_raw_scores(env):
    env.fill()
    env.council(normalisation={"enabled": True, "min_dossiers": 5})
    out = env.tmp / "report.xlsx"
    res = cli("evaluate", env.dossiers, "--council", env.council_file, "--scores", env.forms, "-o", out, "-q")
    assert res.exit_code == 0, res.output
    # m05 scored four dossiers (hn01 is conflicted): refused; m01..m04 scored five
    r = env.run()
    assert [i.params["member"] for i in issues_of(r.issues, "council-normalisation-refused")] == ["m05"]
    z = r.council.raw.set_index(["member", "dossier"])["z"]
    # m01: 9 6 10 2 7.5 -> fractions mean .69, deviations .21 -.09 .31 -.49 .06, squares .392/5 -> sd .28
    assert z[("m01", SUBSET["hn04"])] == approx(-0.49 / 0.28)
    # m02: 8 7 9 3 8 -> mean .7; hn02 is exactly at the member's mean
    assert z[("m02", SUBSET["hn02"])] == approx(0.0)

    members = sheet_rows(out, "Điểm thành viên")
    assert len(members) == 24
    names = {m["id"]: m["name"] for m in hanoi_council()["members"]}
    raw = {(r_[0], r_[3]): r_[5] for r_ in members}
    assert raw == approx({(SUBSET[d], names[m]): v for m, s in FILLED.items() for d, v in s.items()})
    norm = {(r_[0], r_[3]): r_[6] for r_ in members}
    assert all(norm[(SUBSET[d], names[m])] is not None for m in ("m01", "m02", "m03", "m04") for d in FILLED[m])
    # z = 0 maps to the panel's mean fraction: all 24 scores sum to 34.5+35+31.5+34+29 = 164 -> 164/24
    assert norm[(SUBSET["hn02"], names["m02"])] == approx(164 / 24)
    # the council aggregation sheet still reports the raw mean
    stats = {r_[0]: r_[7] for r_ in sheet_rows(out, "Tổng hợp Hội đồng")}
    assert stats[SUBSET["hn01"]] == approx(8)


def test_normalisation_does_not_replace_raw_points(env):
    env.fill()
    env.council(normalisation={"enabled": True, "min_dossiers": 5})
    r = env.run()
    assert d2(r, "hn01") == approx(8)
    assert float(r.scores.total[SUBSET["hn01"]]) == approx(88)


def test_refused_member_has_no_normalised_figure_in_report(env):
    env.fill()
    env.council(normalisation={"enabled": True, "min_dossiers": 5})
    out = env.tmp / "report.xlsx"
    res = cli("evaluate", env.dossiers, "--council", env.council_file, "--scores", env.forms, "-o", out, "-q")
    assert res.exit_code == 0, res.output
    rows = [r for r in sheet_rows(out, "Điểm thành viên") if r[3] == "Hoàng Quốc Em"]
    assert len(rows) == 4
    assert all(r[6] is None for r in rows)


# ---------------------------------------------------------------------------------------------
# Odds and ends of the command line and the forms folder
# ---------------------------------------------------------------------------------------------


def test_forms_are_not_overwritten_without_force(env):
    res = cli("council", "forms", env.dossiers, "--council", env.council_file, "-o", env.forms)
    assert res.exit_code == 2
    res = cli("council", "forms", env.dossiers, "--council", env.council_file, "-o", env.forms, "--force")
    assert res.exit_code == 0, res.output


def test_council_without_scores_folder_cannot_run(env):
    res = cli("evaluate", env.dossiers, "--council", env.council_file, "--no-report", "-q")
    assert res.exit_code == 2


def test_a_dossier_in_the_forms_folder_is_not_a_form(env):
    env.fill()
    copy_dossiers(env.forms, ["hn06"])
    r = env.run()
    [bad] = issues_of(r.issues, "council-form-not-a-form")
    assert bad.is_error and bad.location.file == "F/hn06-phan-mem-cau-giay.xlsx"
    assert d2(r, "hn02") == 6  # the real forms still count


def test_form_of_a_member_no_longer_on_the_council(env):
    env.fill()
    members = [m for m in hanoi_council()["members"] if m["id"] != "m04"]
    env.council(members=members)
    r = env.run()
    [bad] = issues_of(r.issues, "council-form-wrong-member")
    assert bad.params["member"] == "m04" and bad.location.file == f"F/phieu-{CID}-m04.xlsx"
    # four voting members left: quorum ceil(0.75 * 4) = 3; hn02 without m04: 6 7 5 6 -> 6
    assert d2(r, "hn02") == 6 and r.council.quorum.all()


# ---------------------------------------------------------------------------------------------
# 8. The run record holds the council file and every member form, hashed
# ---------------------------------------------------------------------------------------------


def sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_council_file_and_forms_hashed_in_json_and_run_sheet(env):
    import json

    env.fill()
    shutil.copy2(env.form("m02"), env.forms / "ban-sao-phieu-m02.xlsx")
    (env.forms / "ghi-chu.xlsx").write_bytes(b"not a workbook")
    res = cli(
        "evaluate",
        env.dossiers,
        "--council",
        env.council_file,
        "--scores",
        env.forms,
        "--format",
        "json",
        "--no-report",
    )
    record = json.loads(res.stdout)["run"]["council"]
    assert record["file"] == "council.yaml" and record["sha256"] == sha(env.council_file)
    forms = {f["file"]: f for f in record["forms"]}
    expected = {f"F/phieu-{CID}-m0{k}.xlsx": ("used", f"m0{k}") for k in (1, 3, 4, 5)}
    expected |= {f"F/phieu-{CID}-m02.xlsx": ("duplicate", "m02"), "F/ban-sao-phieu-m02.xlsx": ("duplicate", "m02")}
    expected |= {"F/ghi-chu.xlsx": ("refused", None)}
    assert {k: (f["state"], f["member"]) for k, f in forms.items()} == expected
    for name, f in forms.items():
        assert f["sha256"] == sha(env.forms / name.removeprefix("F/"))

    out = env.tmp / "r.xlsx"
    res = cli("evaluate", env.dossiers, "--council", env.council_file, "--scores", env.forms, "-o", out, "-q")
    run = {tuple(r[:2]) for r in sheet_rows(out, "Thông tin lần chạy")}
    assert ("Tệp Hội đồng", f"council.yaml  sha256:{sha(env.council_file)}") in run
    m01 = env.form("m01")
    assert ("Phiếu đánh giá", f"F/{m01.name}  sha256:{sha(m01)}  (m01, đã dùng)") in run
    assert ("Phiếu đánh giá", f"F/ghi-chu.xlsx  sha256:{sha(env.forms / 'ghi-chu.xlsx')}  (?, không dùng)") in run


def test_run_record_without_council_has_no_council_entry(env):
    r = evaluate([env.dossiers], sensitivity=None)
    assert "council" not in r.run_info()


# ---------------------------------------------------------------------------------------------
# 9. council status: where the round stands before the meeting
# ---------------------------------------------------------------------------------------------


def test_council_status_pinned(env):
    table = {
        "m01": FILLED["m01"],
        "m02": {"hn01": 8, "hn02": 7},  # hn03..hn05 still blank
        "m04": FILLED["m04"],
        "m05": {"hn02": 6, "hn03": 9, "hn04": 6, "hn05": 11},  # 11 is above the maximum
    }
    rows = env.fill(table)
    env.form("m03").unlink()  # m03 has not returned the form
    res = cli("council", "status", env.dossiers, "--council", env.council_file, "--scores", env.forms)
    assert res.exit_code == 1
    h = {k: v for k, v in SUBSET.items()}
    f = f"F/phieu-{CID}"
    assert res.stdout == (
        f"Hội đồng {CID} — vòng chính thức · 5 thành viên bỏ phiếu · túc số 4 (có Chủ tịch)\n"
        "\n"
        "Phiếu đã nộp:\n"
        f"  m01 Nguyễn Văn An (Chủ tịch): {f}-m01.xlsx — đã nhận, chấm 5/5 ô\n"
        f"  m02 Trần Thị Bình (Ủy viên): {f}-m02.xlsx — đã nhận, chấm 2/5 ô\n"
        "  m03 Lê Minh Cường (Ủy viên): chưa nộp phiếu\n"
        f"  m04 Phạm Thu Dung (Ủy viên): {f}-m04.xlsx — đã nhận, chấm 5/5 ô\n"
        f"  m05 Hoàng Quốc Em (Ủy viên): {f}-m05.xlsx — đã nhận, chấm 3/4 ô\n"
        "\n"
        "Ô điểm còn trống (thành viên · tiêu chí: trống/được giao — hồ sơ):\n"
        f"  m02 · d2_technology: 3/5 — {h['hn03']}, {h['hn04']}, {h['hn05']}\n"
        f"  m05 · d2_technology: 1/4 — {h['hn05']}\n"
        "\n"
        "Túc số theo hồ sơ (đã chấm/cần):\n"
        f"  {h['hn01']}: 3/4 — chưa đủ\n"  # m01 m02 m04 (m05 conflicted)
        f"  {h['hn02']}: 4/4 — đủ\n"  # m01 m02 m04 m05
        f"  {h['hn03']}: 3/4 — chưa đủ\n"  # m01 m04 m05
        f"  {h['hn04']}: 3/4 — chưa đủ\n"
        f"  {h['hn05']}: 2/4 — chưa đủ\n"  # m01 m04 (m05's 11 refused)
        "\n"
        "Vấn đề của các phiếu:\n"
        f"  {f}-m05.xlsx 'Phiếu đánh giá'!I{rows['m05']['hn05']} [d2_technology]: Điểm '11' cho tiêu chí "
        f"Trình độ công nghệ sản xuất của hồ sơ {h['hn05']} không phải số từ 0 đến 10. [council-score-invalid]\n"
        "\n"
        "Chưa đủ: 1 thành viên chưa nộp phiếu, 4 ô trống, 4 hồ sơ chưa đủ túc số, 1 lỗi trong phiếu.\n"
    )
    en = cli("council", "status", env.dossiers, "--council", env.council_file, "--scores", env.forms, "--lang", "en")
    assert en.exit_code == 1
    assert en.stdout.splitlines()[0] == f"Council {CID} — official round · 5 voting members · quorum 4 (with the chair)"
    assert "  m03 Lê Minh Cường (member): no form yet" in en.stdout.splitlines()
    assert en.stdout.endswith(
        "Not complete: 1 member(s) without a form, 4 blank cell(s), 4 dossier(s) without quorum, "
        "1 error(s) in the forms.\n"
    )


def test_council_status_complete_exits_0(env):
    env.fill()
    res = cli("council", "status", env.dossiers, "--council", env.council_file, "--scores", env.forms, "--lang", "en")
    assert res.exit_code == 0, res.stdout
    out = res.stdout.splitlines()
    assert out[out.index("Score cells still blank (member · criterion: blank/assigned — dossiers):") + 1] == "  none"
    assert f"  {SUBSET['hn01']}: 4/4 — met" in out  # m01..m04; m05 is conflicted with hn01
    assert out[-1] == "Complete: every form returned, no blank cell, a quorum for every dossier."


# ---------------------------------------------------------------------------------------------
# 10. Consensus decisions typed in the minutes sheet, read back with --minutes
# ---------------------------------------------------------------------------------------------

MINUTES_SHEET = "Biên bản thống nhất"


def type_decisions(report: Path, decisions: list[tuple[str, str]]) -> Path:
    """Add rows (dossier file, decision text) to the minutes sheet, like the secretary in Excel."""
    wb = openpyxl.load_workbook(report)
    ws = wb[MINUTES_SHEET]
    header = [c.value for c in ws[3]]
    fcol, dcol = header.index("Tệp") + 1, header.index("Kết luận của Hội đồng") + 1
    row = ws.max_row + 1
    for dossier, text in decisions:
        ws.cell(row, fcol).value = dossier
        ws.cell(row, dcol).value = text
        row += 1
    out = report.with_name("bien-ban.xlsx")
    wb.save(out)
    return out


def test_minutes_decisions_applied_with_the_aggregate_kept_beside_them(env):
    env.fill()
    report = env.tmp / "truoc-hop.xlsx"
    res = cli("evaluate", env.dossiers, "--council", env.council_file, "--scores", env.forms, "-o", report, "-q")
    assert res.exit_code == 0, res.output
    minutes = type_decisions(
        report,
        [
            (SUBSET["hn03"], "d2_technology: 10 điểm"),  # aggregate 9
            (SUBSET["hn04"], "5,5"),  # one council criterion: the number alone is enough; aggregate 4
            (SUBSET["hn02"], "Giữ nguyên kết quả"),  # a note, no score
            (SUBSET["hn05"], "8 hoặc 9"),  # not a decision the tool can apply
            ("hn99-khong-co.xlsx", "d2_technology: 5"),
        ],
    )
    out = env.tmp / "ket-qua.xlsx"
    args = ["--council", env.council_file, "--scores", env.forms, "--minutes", minutes]
    res = cli("evaluate", env.dossiers, *args, "-o", out, "-q")
    assert res.exit_code == 1  # the unreadable decision and the unknown dossier are errors
    r = evaluate([env.dossiers], council=env.council_file, scores=env.forms, minutes=minutes)
    assert d2(r, "hn03") == 10 and d2(r, "hn04") == 5.5
    for k in ("hn01", "hn02", "hn05"):
        assert d2(r, k) == approx(MEAN[k])
    # totals: computed points + the decision (hn03 71 + 10, hn04 72 + 5.5)
    assert r.scores.total[SUBSET["hn03"]] == 81 and r.scores.total[SUBSET["hn04"]] == 77.5
    applied = issues_of(r.issues, "council-minutes-applied")
    assert [(i.params["dossier"], i.params["decision"], i.params["aggregate"]) for i in applied] == [
        (SUBSET["hn03"], 10, 9),
        (SUBSET["hn04"], 5.5, 4),
    ]
    assert applied[0].message("en") == (
        f"Dossier {SUBSET['hn03']}, criterion d2_technology: the council's decision of 10 points applied "
        "(aggregate of the forms: 9)."
    )
    [note] = issues_of(r.issues, "council-minutes-note")
    assert note.params["dossier"] == SUBSET["hn02"] and not note.is_error
    [bad] = issues_of(r.issues, "council-minutes-unreadable")
    assert bad.is_error and bad.params["text"] == "8 hoặc 9" and bad.location.sheet == MINUTES_SHEET
    [unknown] = issues_of(r.issues, "council-minutes-unknown-dossier")
    assert unknown.params["dossier"] == "hn99-khong-co.xlsx"
    assert r.run_info()["council"]["minutes"] == {"file": "bien-ban.xlsx", "sha256": sha(minutes)}
    # the report keeps the forms' aggregate beside the decision
    header = sheet_header(out, "Tổng hợp Hội đồng")
    assert header[-2:] == ["Điểm tổng hợp", "Kết luận của Hội đồng"]
    stats = {row[0]: row[-2:] for row in sheet_rows(out, "Tổng hợp Hội đồng")}
    assert stats[SUBSET["hn03"]] == [9, 10] and stats[SUBSET["hn04"]] == [4, 5.5]
    assert stats[SUBSET["hn01"]] == [8, None]


def test_two_different_decisions_for_one_item_apply_neither(env):
    env.fill()
    report = env.tmp / "r.xlsx"
    cli("evaluate", env.dossiers, "--council", env.council_file, "--scores", env.forms, "-o", report, "-q")
    minutes = type_decisions(report, [(SUBSET["hn03"], "d2_technology: 10"), (SUBSET["hn03"], "d2_technology = 7")])
    r = evaluate([env.dossiers], council=env.council_file, scores=env.forms, minutes=minutes)
    [c] = issues_of(r.issues, "council-minutes-conflict")
    assert c.params["first"] == 10 and c.params["second"] == 7
    assert d2(r, "hn03") == 9  # the members' aggregate stands


def test_minutes_without_council_cannot_run(env):
    res = cli("evaluate", env.dossiers, "--minutes", env.tmp / "x.xlsx", "--no-report", "-q")
    assert res.exit_code == 2
    assert "--minutes cần kèm --council và --scores." in res.output


# ---------------------------------------------------------------------------------------------
# 11. Preliminary -> official round: scores carried over, each member's changes shown
# ---------------------------------------------------------------------------------------------


def preliminary_round(env: Env) -> Path:
    """The preliminary round's forms, filled with FILLED; the council file then set to official."""
    env.council(round="preliminary")
    prelim = env.tmp / "so-bo"
    make_forms(env.dossiers, env.council_file, prelim)
    fill_forms(prelim, CID, FILLED)
    env.council()
    return prelim


def test_official_forms_carry_the_preliminary_scores(env):
    prelim = preliminary_round(env)
    out = env.tmp / "chinh-thuc"
    res = cli("council", "forms", env.dossiers, "--council", env.council_file, "-o", out, "--carry-over", prelim)
    assert res.exit_code == 0, res.output
    assert f"phieu-{CID}-m01.xlsx: 5 ô điểm, 5 điểm chép từ vòng sơ bộ" in res.output
    assert f"không chấm: {SUBSET['hn01']}), 4 điểm chép từ vòng sơ bộ" in res.output  # m05
    for m, scores in FILLED.items():
        got = {d: v for _, d, c, v in form_rows(form_path(out, CID, m)) if c == D2}
        assert got == {SUBSET[k]: v for k, v in scores.items()}
    # the official forms as carried over give the preliminary means
    r = evaluate([env.dossiers], council=env.council_file, scores=out)
    for k, mean in MEAN.items():
        assert d2(r, k) == approx(mean)


def test_changes_between_rounds_listed_per_member(env):
    prelim = preliminary_round(env)
    out = env.tmp / "chinh-thuc"
    cli("council", "forms", env.dossiers, "--council", env.council_file, "-o", out, "--carry-over", prelim)
    fill_forms(out, CID, {"m02": {"hn03": 7}, "m04": {"hn05": None}})  # m02 lowers hn03, m04 clears hn05
    report = env.tmp / "r.xlsx"
    args = ["--council", env.council_file, "--scores", out, "--preliminary", prelim]
    res = cli("evaluate", env.dossiers, *args, "-o", report, "-q")
    assert res.exit_code == 0, res.output
    r = evaluate([env.dossiers], council=env.council_file, scores=out, preliminary=prelim)
    assert d2(r, "hn03") == approx(43 / 5)  # 10 7 9 8 9
    changes = r.council.round_changes
    assert changes[["member", "dossier", "preliminary", "official"]].fillna(-1).values.tolist() == [
        ["m02", SUBSET["hn03"], 9.0, 7.0],
        ["m04", SUBSET["hn05"], 7.0, -1],
    ]
    assert r.council.unchanged == 22  # 24 preliminary scores, two changed
    rows = sheet_rows(report, "Thay đổi giữa hai vòng")
    assert rows[0][1] == (
        "22 điểm giữ nguyên từ vòng sơ bộ; chỉ liệt kê các điểm thay đổi (hoặc chỉ có ở một vòng) dưới đây."
    )
    assert [r[:1] + r[2:] for r in rows[1:]] == [
        [SUBSET["hn03"], D2, "Trần Thị Bình", 9, 7, -2],
        [SUBSET["hn05"], D2, "Phạm Thu Dung", 7, None, None],
    ]


def test_carry_over_needs_an_official_round(env):
    prelim = preliminary_round(env)
    env.council(round="preliminary")
    res = cli("evaluate", env.dossiers, "--council", env.council_file, "--scores", env.forms, "--preliminary", prelim)
    assert res.exit_code == 2
    assert "Chỉ chuyển điểm vòng sơ bộ sang vòng chính thức" in res.output


def test_mistyped_folders_and_files_are_refused_not_read_as_empty(env):
    missing = env.tmp / "khong-co"
    res = cli("council", "status", env.dossiers, "--council", env.council_file, "--scores", missing, "--lang", "en")
    assert res.exit_code == 2
    assert f"--scores: '{missing}' is not a folder (missing, or a file)." in res.output
    res = cli("evaluate", env.dossiers, "--council", env.council_file, "--scores", env.forms, "--minutes", env.forms)
    assert res.exit_code == 2 and "--minutes: '" in res.output and "không phải một tệp" in res.output
    res = cli(
        "council", "forms", env.dossiers, "--council", env.council_file, "-o", env.tmp / "O", "--carry-over", missing
    )
    assert res.exit_code == 2 and "--carry-over: '" in res.output
