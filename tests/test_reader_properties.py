"""Property-based tests (hypothesis): whatever an enterprise types into a form's input cells,
reading it gives issues, never an unhandled exception, and every issue says where it is."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from spcncl_score.i18n import MESSAGES
from spcncl_score.intake.form import write_form
from spcncl_score.intake.names import input_slots, value_key
from spcncl_score.intake.reader import read_dossier
from tests.helpers import build, council, crit, criteria_dict, fld, group, to_yaml

# Every example writes and reads a workbook: few examples, and no shrinking (it can take minutes);
# a failure prints the example as drawn, with the seed to replay it.
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CELL_CODES_PREFIXES = ("value-", "self-score-", "cell-")

CHOICES = [
    {"value": "co_khi", "label": {"vi": "Cơ khí, chế tạo", "en": "Mechanical engineering"}},
    {"value": "dien", "label": {"vi": "Điện, điện tử", "en": "Electrical and electronics"}},
    {"value": "tcmn", "label": {"vi": "Thủ công mỹ nghệ", "en": "Handicrafts"}},
]
FIELDS = [
    fld("note", "text", required=False),
    fld("revenue", "number", years=2, unit="tỷ đồng"),
    fld("workers", "integer", min=1, max=100000, unit="người"),
    fld("share", "number", min=0, max=100, unit="%"),
    fld("yn", "yes_no"),
    fld("grp", "choice", choices=CHOICES),
    fld("founded", "date"),
]
CRITERIA = criteria_dict(
    fields=FIELDS,
    indicators=[{"id": "revenue_n", "kind": "latest", "field": "revenue", "label": {"vi": "DT", "en": "Revenue"}}],
    groups=[
        group(
            "g",
            crit(
                "c_rev",
                10,
                {
                    "kind": "bands",
                    "bands": [{"range": "(-inf, 100)", "points": 0}, {"range": "[100, +inf)", "points": 10}],
                },
                input="revenue_n",
            ),
            crit(
                "c_workers",
                5,
                {"kind": "linear", "from": {"value": 1, "points": 0}, "to": {"value": 1000, "points": 5}},
                input="workers",
            ),
            crit("c_yn", 5, {"kind": "yes_no", "if_yes": 5}, input="yn"),
            crit("c_grp", 5, {"kind": "choice", "points": {"co_khi": 5, "dien": 3}}, input="grp"),
            council("c_council", 5),
        )
    ],
    pass_mark=10,
    plausibility=[
        {
            "id": "rev_pos",
            "ref": "revenue_n",
            "op": "ge",
            "value": 0,
            "message": {"vi": "Doanh thu âm", "en": "Negative revenue"},
        }
    ],
)

VI_WORDS = [
    "Công ty",
    "Cổ phần",
    "Thủ công mỹ nghệ",
    "Cơ khí, chế tạo",
    "Điện, điện tử",
    "Có",
    "Không",
    "tỷ đồng",
    "người",
    "Hà Nội",
    "Đông Anh",
    "ống nhựa",
    "Sản phẩm",
    "nghìn",
    "Ưu tiên",
]

# text as people type it, including what Excel cannot show: every code point but surrogates
any_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)
vietnamese = st.lists(st.sampled_from(VI_WORDS), min_size=1, max_size=4).map(" ".join)
nfd_text = vietnamese.map(lambda s: unicodedata.normalize("NFD", s))
number_text = st.one_of(
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False).map(
        lambda d: f"{d:,.2f}"
    ),  # 1,234.50
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False).map(
        lambda d: f"{d:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    ),  # 1.234,50
    st.integers(-(10**9), 10**9).map(lambda n: f"{n:,}".replace(",", "\u00a0")),  # 1 234 (nbsp)
    st.tuples(st.integers(0, 10**6), st.sampled_from(["tỷ", "tỷ đồng", "người", "USD", "%", " %", "triệu"])).map(
        lambda t: f"{t[0]} {t[1]}"
    ),
    st.sampled_from(
        [
            "1.234",
            "1,234",
            "12,5",
            "0,5",
            "-0",
            "+7",
            "1e5",
            "1.2.3",
            "١٢٣",
            "１２３",
            "∞",
            "NaN",
            "--5",
            ".5",
            "5.",
            "1 234,5 tỷ",
            "#DIV/0!",
            "#N/A",
            "=1+1",
            "'0109615386",
        ]
    ),
)
date_text = st.one_of(
    st.tuples(st.integers(0, 40), st.integers(0, 14), st.integers(1, 9999)).map(
        lambda t: f"{t[0]:02d}/{t[1]:02d}/{t[2]:04d}"
    ),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["31.12.2024", "31-12-2024", "2024-02-30", "29/02/2023", "ngày 5 tháng 6"]),
)
# what a cell can hold (xlsx stores no inf or NaN)
cell_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    any_text,
    vietnamese,
    nfd_text,
    number_text,
    date_text,
)
# Known bug (pinned below): calamine panics on a date-formatted cell below about -1.07e11 days
PANIC_BELOW = -106_751_991_168


def _no_panic(v: Any) -> bool:
    return not (isinstance(v, (int, float)) and not isinstance(v, bool) and v < PANIC_BELOW)


date_cell_value = cell_value.filter(_no_panic)
self_score_value = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-100, 100),
    number_text,
    any_text,
)

_counter = itertools.count()


@pytest.fixture(scope="module")
def cs():
    return build(CRITERIA)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("reader-properties")


def slots(cs) -> list[str]:
    return [value_key(fid, k) for _, fid, k in input_slots(cs)]


def strategy_for(cs, key: str) -> st.SearchStrategy[Any]:
    f = cs.field(key.partition("@")[0])
    return date_cell_value if f is not None and f.type == "date" else cell_value


def write(cs, workdir: Path, values: dict[str, Any], selfs: dict[str, Any]) -> Path:
    path = workdir / f"f{next(_counter)}.xlsx"
    write_form(cs, path, reporting_year=2025, values=values, self_scores=selfs)
    return path


def check_issues(read, display: str) -> None:
    for i in read.issues:
        assert i.location.file == display, i
        assert i.code in MESSAGES, f"{i.code} has no message in the catalogue"
        for lang in ("vi", "en"):
            text = i.message(lang)
            assert text and not text.startswith(i.code), text  # rendered from the catalogue
        if i.code.startswith(CELL_CODES_PREFIXES):
            assert i.location.sheet and i.location.cell and i.location.field, i


def check_values(cs, read) -> None:
    d = read.dossier
    assert d is not None
    # a value that could not be read is None; one outside min/max is kept (and the dossier not ranked)
    unreadable = {
        "value-not-number",
        "value-not-integer",
        "value-not-yes-no",
        "value-not-choice",
        "value-not-date",
        "value-error-cell",
        "value-formula-no-cache",
    }
    errors = {i.location.field for i in read.issues if i.code in unreadable}
    for key, v in d.values.items():
        f = cs.field(key.partition("@")[0])
        assert f is not None
        if key in errors:
            assert v is None, (key, v)
        if v is None:
            continue
        if f.type in ("number", "integer"):
            assert isinstance(v, float) and not isinstance(v, bool), (key, v)
            if f.type == "integer" and math.isfinite(v):
                assert v.is_integer()
        elif f.type == "yes_no":
            assert isinstance(v, bool), (key, v)
        elif f.type == "choice":
            assert v in {c.value for c in f.choices or []}, (key, v)
        elif f.type == "date":
            assert isinstance(v, dt.date) and not isinstance(v, dt.datetime), (key, v)
        else:
            assert isinstance(v, str) and v == unicodedata.normalize("NFC", v) and v == v.strip(), (key, v)
    for cid, s in d.self_scores.items():
        assert s is None or (isinstance(s, float) and 0 <= s <= cs.criterion(cid).max), (cid, s)


@SETTINGS
@given(data=st.data())
@example(data=None)  # an empty form
def test_reading_arbitrary_cells_never_raises(cs, workdir, data):
    keys = slots(cs)
    if data is None:
        values: dict[str, Any] = {}
        selfs: dict[str, Any] = {}
    else:
        values = {k: data.draw(strategy_for(cs, k), label=k) for k in keys}
        selfs = {c.id: data.draw(self_score_value, label=f"s.{c.id}") for _, c in cs.criteria()}
    path = write(cs, workdir, values, selfs)
    read = read_dossier(path, cs, display=path.name)
    check_issues(read, path.name)
    check_values(cs, read)
    assert set(read.dossier.values) == set(keys)


@SETTINGS
@given(text=st.one_of(any_text, vietnamese, nfd_text))
def test_text_reads_back_as_typed_in_nfc(cs, workdir, text):
    path = write(cs, workdir, {"note": text, "ent": text}, {})
    read = read_dossier(path, cs, display=path.name)
    check_issues(read, path.name)
    expected = unicodedata.normalize("NFC", text).strip()
    got = read.dossier.values["note"]
    assert got == (expected or None)


@SETTINGS
@given(
    label=st.sampled_from([c["label"]["vi"] for c in CHOICES] + [c["label"]["en"] for c in CHOICES]),
    form=st.sampled_from(["NFC", "NFD"]),
    case=st.sampled_from([str, str.upper, str.lower]),
    pad=st.sampled_from(["", " ", "  ", "\u00a0"]),
)
def test_choice_labels_match_in_any_normal_form_case_and_spacing(cs, workdir, label, form, case, pad):
    typed = pad + unicodedata.normalize(form, case(label)) + pad
    path = write(cs, workdir, {"grp": typed}, {})
    read = read_dossier(path, cs, display=path.name)
    wanted = next(c["value"] for c in CHOICES if label in (c["label"]["vi"], c["label"]["en"]))
    assert read.dossier.values["grp"] == wanted, [i.render("en") for i in read.issues]


@SETTINGS
@given(x=st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
def test_numbers_read_back(cs, workdir, x):
    path = write(cs, workdir, {"revenue@0": x, "share": x}, {})
    read = read_dossier(path, cs, display=path.name)
    got = read.dossier.values["revenue@0"]
    assert got is not None and math.isclose(got, x, rel_tol=1e-15, abs_tol=1e-300)
    share = read.dossier.values["share"]
    if 0 <= x <= 100:
        assert share is not None and math.isclose(share, x, rel_tol=1e-15, abs_tol=1e-300)
    else:
        assert share is None or "share" in {i.location.field for i in read.issues if i.is_error}


@SETTINGS
@given(
    day=st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    style=st.sampled_from(["dmy/", "dmy.", "dmy-", "iso", "date"]),
)
def test_dates_typed_as_text_or_dates(cs, workdir, day, style):
    typed: Any = {
        "dmy/": f"{day.day:02d}/{day.month:02d}/{day.year:04d}",
        "dmy.": f"{day.day}.{day.month}.{day.year:04d}",
        "dmy-": f"{day.day:02d}-{day.month:02d}-{day.year:04d}",
        "iso": day.isoformat(),
        "date": day,
    }[style]
    path = write(cs, workdir, {"founded": typed}, {})
    read = read_dossier(path, cs, display=path.name)
    assert read.dossier.values["founded"] == day, [i.render("en") for i in read.issues]
    codes = [i.code for i in read.issues if i.location.field == "founded"]
    assert codes == ([] if style == "date" else ["value-interpreted"])


@SETTINGS
@given(data=st.data())
def test_the_whole_pipeline_never_raises(cs, workdir, data):
    """Scoring and ranking whatever was read: issues only, and each names its file."""
    from spcncl_score.evaluation.pipeline import evaluate

    criteria_file = workdir / "criteria.yaml"
    if not criteria_file.exists():
        criteria_file.write_text(to_yaml(CRITERIA), encoding="utf-8")
    folder = workdir / f"run{next(_counter)}"
    folder.mkdir()
    for n in range(2):
        values = {k: data.draw(strategy_for(cs, k), label=f"{n}:{k}") for k in slots(cs)}
        selfs = {c.id: data.draw(self_score_value, label=f"{n}:s.{c.id}") for _, c in cs.criteria()}
        write_form(cs, folder / f"d{n}.xlsx", reporting_year=2025, values=values, self_scores=selfs)
    result = evaluate([folder], criteria_file)
    assert len(result.reads) == 2
    for i in result.issues:
        assert i.location.file in ("d0.xlsx", "d1.xlsx"), i
        assert i.code in MESSAGES, i.code
        i.message("vi"), i.message("en")


@pytest.mark.parametrize("value", [-1e12, -(2**62)])
def test_huge_negative_number_in_a_date_cell_is_an_issue(cs, workdir, value):
    path = write(cs, workdir, {"founded": value}, {})
    read = read_dossier(path, cs, display=path.name)
    # calamine panics on such a cell; the sheet is then read with openpyxl, which marks it an error
    assert read.dossier is not None and read.dossier.values["founded"] is None
    assert {"value-not-date", "value-error-cell"} & {i.code for i in read.issues}
