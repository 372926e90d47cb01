"""Runs in parts: a folder mixing criteria sets, scored set by set; categories declared in a set,
checked category by category (#15)."""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spcncl_score import evaluate, load_criteria
from spcncl_score.cli.commands import app
from spcncl_score.criteria.categories import category_sets
from spcncl_score.report.jsonout import result_schema, result_to_dict
from spcncl_score.scoring.result import RunResult
from tests.test_json_contract import conforms

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def invoke(*args: Any) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Hanoi and OCOP samples side by side, as a working group's inbox would hold them."""
    root = tmp_path_factory.mktemp("mixed")
    shutil.copytree(SAMPLES / "hanoi", root / "hanoi")
    shutil.copytree(SAMPLES / "ocop", root / "ocop")
    return root


@pytest.fixture(scope="module")
def mixed_result(mixed: Path) -> RunResult:
    return evaluate([mixed], sensitivity=None)


def test_a_folder_of_two_sets_is_scored_set_by_set(mixed: Path, mixed_result: RunResult) -> None:
    result = mixed_result
    assert [p.part_key for p in result.parts] == ["hanoi-spcncl", "ocop"]
    alone = {s: evaluate([SAMPLES / s], sensitivity=None) for s in ("hanoi", "ocop")}
    for part, single in zip(result.parts, alone.values(), strict=True):
        # each part ranks exactly as the set's folder alone does
        assert part.scores is not None and single.scores is not None
        assert part.ranking is not None and single.ranking is not None
        totals = {Path(str(d)).name: t for d, t in part.scores.total.items()}
        assert totals == {Path(str(d)).name: t for d, t in single.scores.total.items()}
        assert [Path(str(d)).name for d in part.ranking.index] == [Path(str(d)).name for d in single.ranking.index]
    assert result.ranked() == {str(d) for p in result.parts for d in p.ranking.index}  # type: ignore[union-attr]
    assert len(result.ranked()) == 20  # 17 of 18 Hanoi dossiers (hn18 has errors) and 3 OCOP
    # the one not ranked is listed with its reason, in the run
    hn18 = [i for i in result.issues if i.is_error]
    assert {i.location.file for i in hn18} == {"hanoi/hn18-bao-bi-hoang-mai.xlsx"}


def test_the_report_of_a_mixed_folder_has_a_sheet_group_per_set(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    run = invoke("evaluate", mixed, "-o", out, "--lang", "en", "--mc-runs", "0")
    assert run.exit_code == 1, run.output  # hn18's errors are findings
    lines = run.output.splitlines()
    assert sum(line.startswith("Criteria applied: ") for line in lines) == 2
    assert "21 files · 20 scored · 16 recognised · 1 not ranked · 2 errors" in " ".join(run.output.split())
    wb = openpyxl.load_workbook(out, read_only=True)
    names = wb.sheetnames
    assert names[0] == "Parts"
    assert names[-3:] == ["Not ranked", "Issues", "Run information"]
    assert "Ranking · hanoi" in names and "Ranking · ocop" in names
    assert "Ranking analysis · hanoi" in names and "Criteria applied · ocop" in names
    assert all(len(n) <= 31 for n in names)
    rows = list(wb["Parts"].iter_rows(values_only=True))
    assert rows[0][0] == "Parts — 2 criteria sets, each scored and ranked on its own"
    assert [r[0] for r in rows[3:5]] == ["hanoi", "ocop"]
    assert [r[6] for r in rows[3:5]] == [17, 3]  # ranked per part
    not_ranked = [r[0] for r in list(wb["Not ranked"].iter_rows(values_only=True))[3:]]
    assert "hanoi/hn18-bao-bi-hoang-mai.xlsx" in not_ranked


def test_the_json_of_a_mixed_folder_names_each_result_s_part(mixed_result: RunResult) -> None:
    data = result_to_dict(mixed_result, "en")
    schema = result_schema()
    assert conforms(data, schema, schema) == []
    json.dumps(data, allow_nan=False)
    assert [p["part"] for p in data["run"]["parts"]] == ["hanoi-spcncl", "ocop"]
    assert {r["part"] for r in data["results"]} == {"hanoi-spcncl", "ocop"}
    assert data["summary"]["scored"] == 20


def test_a_council_cannot_score_a_run_in_parts(mixed: Path, tmp_path: Path) -> None:
    council = tmp_path / "council.yaml"
    council.write_text("members: []\n", encoding="utf-8")
    (tmp_path / "scores").mkdir()
    run = invoke(
        "evaluate", mixed, "--council", council, "--scores", tmp_path / "scores", "--no-report", "--lang", "en"
    )
    assert run.exit_code == 2
    assert " ".join(run.output.split()).endswith(
        "A council file applies to one set of criteria, but the dossiers are scored in parts: "
        "hanoi-spcncl 2025.1-provisional, ocop 148-2023.1. The council scores each part on its own: each time a "
        "folder holding only one set's or one category's dossiers. [council-one-part]"
    )


# --- categories in a criteria file ------------------------------------------------------------------


def categories_yaml(tmp_path: Path, block: dict[str, Any]) -> Path:
    """The Hanoi set with a categories block on its industry group (8 choices)."""
    data = yaml.safe_load((ROOT / "criteria" / "hanoi-spcncl.yaml").read_text(encoding="utf-8"))
    data.pop("$schema", None)
    data["categories"] = block
    path = tmp_path / "cats.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


CHOICES = [
    "co_khi",
    "dien_dien_tu",
    "cntt",
    "det_may_da_giay",
    "che_bien_nong_san",
    "hoa_chat_nhua_duoc",
    "vat_lieu_xay_dung",
    "thu_cong_my_nghe",
]


def test_a_category_replaces_adds_and_leaves_out_criteria(tmp_path: Path) -> None:
    base, _ = load_criteria("hanoi-spcncl")
    assert base is not None
    group = base.groups[0]
    first, second = group.criteria[0], group.criteria[1]
    replaced = first.model_dump(mode="json", exclude_none=True) | {"title": {"vi": "Thay", "en": "Replaced"}}
    added = second.model_dump(mode="json", exclude_none=True) | {"id": "x_new"}
    items: list[dict[str, Any]] = [{"id": c} for c in CHOICES]
    items[2] = {
        "id": "cntt",
        "short": "IT",
        "groups": [{"id": group.id, "criteria": [replaced, added], "remove": [second.id]}],
    }
    cs, issues = load_criteria(categories_yaml(tmp_path, {"field": "industry_group", "items": items}))
    assert cs is not None, [i.render("en") for i in issues]
    own = category_sets(cs)
    assert list(own) == CHOICES
    it = own["cntt"]
    ids = [c.id for c in it.groups[0].criteria]
    assert ids[0] == first.id and second.id not in ids and ids[-1] == "x_new"
    assert it.groups[0].criteria[0].title.en == "Replaced"
    assert it.category is not None and it.category.code == "IT"
    # a category's criteria point at their own lines in the file
    text = (tmp_path / "cats.yaml").read_text(encoding="utf-8").splitlines()
    line = it.line_of(f"groups[0].criteria[{len(ids) - 1}]")
    assert line is not None and "x_new" in text[line - 1]
    assert it.origin_path(f"groups[0].criteria[{len(ids) - 1}].max") == "categories.items[2].groups[0].criteria[1].max"
    # an unchanged category still has its own print: its forms are its own
    assert own["co_khi"].fingerprint != own["cntt"].fingerprint != base.fingerprint
    assert own["co_khi"].fingerprint != own["dien_dien_tu"].fingerprint


def check(tmp_path: Path, block: dict[str, Any]) -> list[str]:
    _, issues = load_criteria(categories_yaml(tmp_path, block))
    return [f"{i.code} {i.location.yaml_path} ({i.location.category}): {i.message('en')}" for i in issues if i.is_error]


def test_categories_mistakes_are_named_at_their_place(tmp_path: Path) -> None:
    items: list[dict[str, Any]] = [{"id": c} for c in CHOICES]
    assert check(tmp_path, {"field": "product_name", "items": items}) == [
        "category-field categories.field (None): The categories' field 'product_name' must be a required, "
        "single-value 'choice' field of the set; each of its choices is a category."
    ]
    assert check(tmp_path, {"field": "industry_group", "items": [*items[:-1], {"id": "khac"}]}) == [
        "category-not-a-choice categories.items[7].id (None): Category 'khac' is not a choice of field "
        "'industry_group' (choices: co_khi, dien_dien_tu, cntt, det_may_da_giay, che_bien_nong_san, "
        "hoa_chat_nhua_duoc, vat_lieu_xay_dung, thu_cong_my_nghe).",
        "category-missing categories.items (None): Choice 'thu_cong_my_nghe' of field 'industry_group' has no "
        "category: add '- id: thu_cong_my_nghe' to categories.items (with no changes, the category uses the "
        "shared criteria).",
    ]
    bad = [*items]
    bad[0] = {"id": "co_khi", "short": "CK", "groups": [{"id": "nope"}]}
    bad[1] = {"id": "dien_dien_tu", "short": "ck", "groups": [{"id": "a", "remove": ["zz"]}]}
    bad[2] = {"id": "cntt", "fields": [{"id": "industry_group", "type": "text", "label": {"vi": "x", "en": "x"}}]}
    assert check(tmp_path, {"field": "industry_group", "items": bad}) == [
        "category-unknown-group categories.items[0].groups[0].id (None): Category 'co_khi' changes criterion "
        "group 'nope', which the shared criteria do not have.",
        "category-short-duplicate categories.items[1].short (None): Short code 'ck' is already used by category "
        "'co_khi': the two categories' sheet names would be the same.",
        "category-unknown-criterion categories.items[1].groups[0].remove[0] (None): Category 'dien_dien_tu' "
        "leaves out criterion 'zz', which group 'a' does not have.",
        "category-changes-its-field categories.items[2].fields[0] (None): A category may not redeclare the "
        "categories' field 'industry_group': it decides a dossier's category.",
    ]


def test_each_category_is_checked_as_a_set_of_its_own(tmp_path: Path) -> None:
    base, _ = load_criteria("hanoi-spcncl")
    assert base is not None
    first = base.groups[0].criteria[0]
    bigger = first.model_dump(mode="json", exclude_none=True) | {"max": first.max + 5}
    items: list[dict[str, Any]] = [{"id": c} for c in CHOICES]
    items[4] = {"id": "che_bien_nong_san", "groups": [{"id": base.groups[0].id, "criteria": [bigger]}]}
    block = {"field": "industry_group", "items": items, "overall": {"top_n": 10, "tie_breaks": [{"ref": "zz"}]}}
    assert check(tmp_path, block) == [
        "criteria-group-sum groups[0].max (che_bien_nong_san): The criteria of group 'a' add up to 40 points, "
        "not the declared maximum 35.",
        "category-overall-ref categories.overall.tie_breaks[0].ref (None): The overall ranking breaks ties by 'zz', "
        "which these categories do not have: co_khi, dien_dien_tu, cntt, det_may_da_giay, che_bien_nong_san, "
        "hoa_chat_nhua_duoc, vat_lieu_xay_dung, thu_cong_my_nghe.",
    ]


def test_criteria_check_of_a_set_with_categories(tmp_path: Path) -> None:
    items: list[dict[str, Any]] = [{"id": c} for c in CHOICES]
    path = categories_yaml(tmp_path, {"field": "industry_group", "items": items})
    run = invoke("criteria", "check", path, "--lang", "en")
    assert run.exit_code == 0, run.output


def test_a_run_in_parts_records_a_cohort_per_set_and_writes_cards_per_part(mixed: Path, tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "h.sqlite"
    args = ["evaluate", mixed, "-o", tmp_path / "r.xlsx", "--record", "--history", db, "--lang", "en"]
    run = invoke(*args, "--cards", tmp_path / "cards", "--mc-runs", "0")
    assert run.exit_code == 1, run.output  # hn18's errors
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT c.criteria_id, count(e.id) FROM cohorts c JOIN entries e ON e.cohort_id = c.id "
            "GROUP BY c.id ORDER BY c.criteria_id"
        ).fetchall()
    assert rows == [("hanoi-spcncl", 18), ("ocop", 3)]
    assert sorted(p.name for p in (tmp_path / "cards").iterdir()) == ["hanoi", "ocop"]
    assert len(list((tmp_path / "cards" / "hanoi").glob("*.xlsx"))) == 17
    # recorded once: the second final run of the same cohorts is refused, naming the first set found
    again = invoke(*args[:3], tmp_path / "r2.xlsx", *args[4:])
    assert again.exit_code == 2
    assert "[history-cohort-recorded]" in again.output and "hanoi-spcncl 2025" in again.output
    # a later run consults the history per part; the cohort of these very inputs never counts as earlier
    later = invoke("evaluate", mixed, "-o", tmp_path / "r3.xlsx", "--history", db, "--lang", "en", "--mc-runs", "0")
    assert later.exit_code == 1, later.output


def test_council_forms_and_status_refuse_a_run_in_parts(mixed: Path, tmp_path: Path) -> None:
    council = tmp_path / "council.yaml"
    council.write_text("members: []\n", encoding="utf-8")
    expected = (
        "A council file applies to one set of criteria, but the dossiers are scored in parts: "
        "hanoi-spcncl 2025.1-provisional, ocop 148-2023.1. The council scores each part on its own: each time a "
        "folder holding only one set's or one category's dossiers. [council-one-part]"
    )
    forms = invoke("council", "forms", mixed, "--council", council, "-o", tmp_path / "forms", "--lang", "en")
    assert forms.exit_code == 2 and " ".join(forms.output.split()).endswith(expected), forms.output
    (tmp_path / "scores").mkdir()
    status = invoke("council", "status", mixed, "--council", council, "--scores", tmp_path / "scores", "--lang", "en")
    assert status.exit_code == 2 and " ".join(status.output.split()).endswith(expected), status.output


# --- a set with categories, end to end (the shipped cnnt example) ------------------------------------


@pytest.fixture(scope="module")
def cnnt() -> RunResult:
    return evaluate([SAMPLES / "cnnt"], sensitivity=None)


def test_each_category_is_scored_with_its_own_criteria_and_ranked_within_it(cnnt: RunResult) -> None:
    assert [p.part_key for p in cnnt.parts] == ["thu_cong_my_nghe", "che_bien_nong_lam_thuy_san", "co_khi"]
    assert [p.part_label("en") for p in cnnt.parts] == [
        "Handicrafts",
        "Processed agricultural, forestry and aquatic products and food",
        "Machinery, tools and mechanical parts",
    ]
    machinery = cnnt.parts[2]
    assert machinery.scores is not None
    assert "c4_function" in machinery.scores.points.columns  # the machinery criterion, not the base's
    assert "c1_cultural_identity" not in machinery.scores.points.columns
    assert float(machinery.scores.total.iloc[0]) == pytest.approx(72.2)
    handicrafts = cnnt.parts[0]
    assert handicrafts.ranking is not None
    assert handicrafts.ranking["rank"].tolist()[0] == 1  # ranks start again in each category


def test_the_categories_are_also_ranked_together_as_the_set_declares(cnnt: RunResult, tmp_path: Path) -> None:
    overall = cnnt.overall
    assert overall is not None
    names = [Path(str(d)).name[:6] for d in overall.index]
    assert names == ["cnnt01", "cnnt04", "cnnt02", "cnnt03"]  # 83, 72.2, 72, then 34 (not recognised)
    assert overall["rank"].tolist()[:3] == [1, 2, 3] and pd.isna(overall["rank"].tolist()[3])
    assert overall["top"].tolist() == [True, True, True, False]  # Top 30 overall
    data = result_to_dict(cnnt, "en")
    schema = result_schema()
    assert conforms(data, schema, schema) == []
    by_file = {Path(r["file"]).name[:6]: r for r in data["results"]}
    assert by_file["cnnt04"]["part"] == "co_khi" and by_file["cnnt04"]["overall_rank"] == 2
    assert by_file["cnnt04"]["rank"] == 1  # first among machinery
    out = tmp_path / "r.xlsx"
    run = invoke("evaluate", SAMPLES / "cnnt", "-o", out, "--lang", "en", "--mc-runs", "0")
    assert run.exit_code == 0, run.output
    assert "Overall ranking" in run.output
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames[:3] == ["Parts", "Overall ranking", "Ranking · TCMN"]
    rows = list(wb["Overall ranking"].iter_rows(values_only=True))
    assert rows[1][0] == "cnnt 14-2018.2 · Pass mark: 70/100 · Top N: 30"
    assert [r[:4] for r in rows[3:7]] == [
        (1, None, "TCMN", 1),
        (2, None, "CK", 1),
        (3, None, "CB", 1),
        (None, None, "TCMN", None),
    ]


def test_explain_names_the_category_and_the_rank_across_categories(cnnt: RunResult) -> None:
    form = SAMPLES / "cnnt" / "cnnt04-may-nong-nghiep-phung-xa.xlsx"
    run = invoke("explain", form, "--cohort", SAMPLES / "cnnt", "--lang", "en")
    assert run.exit_code == 0, run.output
    assert "  Category / criteria set: Machinery, tools and mechanical parts" in run.output
    assert "  Rank across categories: 2/3" in run.output
    assert "c4_function" in run.output


def test_the_shipped_samples_folder_is_scored_set_by_set_and_category_by_category() -> None:
    result = evaluate([SAMPLES], sensitivity=None)
    keys = [p.part_key for p in result.parts]
    assert keys == ["hanoi-spcncl", "thu_cong_my_nghe", "che_bien_nong_lam_thuy_san", "co_khi", "ocop"]
    assert len(result.ranked()) == 17 + 4 + 3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=17, max_size=17))
def test_ranking_parts_together_is_ranking_them_as_one(assignment: list[int]) -> None:
    """Split one set's dossiers into parts at random: ranked together, they rank as the whole does."""
    from spcncl_score.scoring.engine import score
    from spcncl_score.scoring.overall import rank_overall
    from spcncl_score.scoring.ranking import rank
    from spcncl_score.scoring.result import build_frame, enterprises

    whole = hanoi_result()
    cs = whole.criteria
    ok = [r for r in whole.reads if r.ok]
    frame, selfs = build_frame(cs, ok)
    expected, _ = rank(cs, score(cs, frame, selfs), frame, enterprises(cs, frame))
    parts = []
    for k in sorted(set(assignment)):
        mine = [r for r, a in zip(ok, assignment, strict=True) if a == k]
        f, s = build_frame(cs, mine)
        parts.append((cs, score(cs, f, s), f, enterprises(cs, f)))
    together, _ = rank_overall(cs.ranking, parts)
    cols = ["rank", "tied", "top", "top_tie", "capped"]
    pd.testing.assert_frame_equal(together[cols], expected[cols], check_dtype=False)


@functools.cache
def hanoi_result() -> RunResult:
    return evaluate([SAMPLES / "hanoi"], sensitivity=None)


def test_criteria_diff_says_what_changed_in_a_category_and_replays_it_in_its_category(tmp_path: Path) -> None:
    text = (ROOT / "criteria" / "cnnt.yaml").read_text(encoding="utf-8")
    changed = text.replace(
        "points: {chua_co: 0, cam_ket: 2, giay_chung_nhan: 4}", "points: {chua_co: 0, cam_ket: 4, giay_chung_nhan: 4}"
    )
    assert changed != text
    new = tmp_path / "cnnt-new.yaml"
    new.write_text(changed.replace('version: "14-2018.2"', 'version: "14-2018.3"'), encoding="utf-8")
    run = invoke(
        "criteria", "diff", ROOT / "criteria" / "cnnt.yaml", new, "--dossiers", SAMPLES / "cnnt", "--lang", "en"
    )
    out = " ".join(run.output.split())
    assert "t2_standards (che_bien_nong_lam_thuy_san)" in out, run.output
    assert "cam_ket → 2; giay_chung_nhan → 4  →  chua_co → 0; cam_ket → 4" in run.output, run.output
    # the base's t2_standards (every other category's) did not change, and is not said to
    assert "t2_standards " not in out.replace("t2_standards (che_bien", ""), run.output


def test_a_set_s_categories_are_one_cohort_in_the_history(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "h.sqlite"
    run = invoke("evaluate", SAMPLES / "cnnt", "--no-report", "--record", "--history", db, "--mc-runs", "0", "-q")
    assert run.exit_code == 0, run.output
    base, _ = load_criteria("cnnt")
    assert base is not None
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT c.criteria_id, c.criteria_fingerprint, count(e.id), sum(e.recognised) "
            "FROM cohorts c JOIN entries e ON e.cohort_id = c.id GROUP BY c.id"
        ).fetchall()
    assert rows == [("cnnt", base.fingerprint, 4, 3)]


def test_a_council_scores_the_dossiers_of_one_category_with_that_category_s_criteria(tmp_path: Path) -> None:
    from tests.council_helpers import fill_form, form_path, hanoi_council, write_yaml

    folder = tmp_path / "co-khi"
    folder.mkdir()
    shutil.copy(SAMPLES / "cnnt" / "cnnt04-may-nong-nghiep-phung-xa.xlsx", folder)
    # one council file for the whole scheme: an assignment may name another category's criterion
    data = hanoi_council(id="hd-cnnt", criteria_id="cnnt")
    data["assignments"] = [{"criteria": ["c1_cultural_identity", "c4_function"], "roles": ["chair", "member"]}]
    council = write_yaml(tmp_path / "hd.yaml", data)
    forms = tmp_path / "phieu"
    run = invoke("council", "forms", folder, "--council", council, "-c", "cnnt", "-o", forms, "--lang", "en")
    assert run.exit_code == 0, run.output
    for member in ("m01", "m02", "m03", "m04", "m05"):
        fill_form(
            form_path(forms, "hd-cnnt", member), {"cnnt04-may-nong-nghiep-phung-xa.xlsx": 4}, criterion="c4_function"
        )
    result = evaluate([folder], "cnnt", council=council, scores=forms, sensitivity=None)
    assert not result.parts and result.criteria.category is not None
    assert result.criteria.category.id == "co_khi"
    assert result.scores is not None and result.council is not None
    assert float(result.scores.points["c4_function"].iloc[0]) == 4.0  # the members' mean
    # a folder of two categories is refused, naming them
    shutil.copy(SAMPLES / "cnnt" / "cnnt01-kham-trai-chuyen-my.xlsx", folder)
    run = invoke(
        "evaluate", folder, "-c", "cnnt", "--council", council, "--scores", forms, "--no-report", "--lang", "en"
    )
    assert run.exit_code == 2
    assert " ".join(run.output.split()).endswith(
        "A council file applies to one set of criteria, but the dossiers are scored in parts: thu_cong_my_nghe, "
        "co_khi. The council scores each part on its own: each time a folder holding only one set's or one "
        "category's dossiers. [council-one-part]"
    )
