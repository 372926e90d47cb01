"""The commands: thin typer commands over library calls.

Exit codes are decided in one place, `cli.guard.guarded` (0: ran, nothing wrong · 1: ran, findings ·
2: could not run). Heavy libraries (pandas, xlsxwriter) are imported inside the commands, so that
`--help`, `template` and the `criteria` commands never load what they do not use.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from spcncl_score import __version__
from spcncl_score.cli.guard import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, STATE, guarded
from spcncl_score.cli.guard import err_console as _err_console
from spcncl_score.cli.language import LocalCommand, LocalGroup, env_lang, h
from spcncl_score.cli.usage import existing_file, form_output, say_criteria, workbook_copy_output, xlsx_output
from spcncl_score.printable import json_text, printable
from spcncl_score.report.limits import DETAIL_ROW_LIMIT

app = typer.Typer(
    cls=LocalGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help=h(
        "Chấm điểm hồ sơ sản phẩm công nghiệp chủ lực theo bộ tiêu chí YAML; lập báo cáo xếp hạng cho Hội đồng.",
        "Score SPCNCL dossiers from YAML criteria; write ranked council reports.",
    ),
)
criteria_app = typer.Typer(
    cls=LocalGroup, no_args_is_help=True, help=h("Làm việc với tệp bộ tiêu chí.", "Work with criteria files.")
)
app.add_typer(criteria_app, name="criteria")
council_app = typer.Typer(
    cls=LocalGroup,
    no_args_is_help=True,
    help=h("Hội đồng đánh giá: phiếu chấm của các thành viên.", "The evaluation council: members' scoring forms."),
)
app.add_typer(council_app, name="council")


class Lang(StrEnum):
    vi = "vi"
    en = "en"


class Fmt(StrEnum):
    table = "table"
    json = "json"


CriteriaOpt = Annotated[
    str | None,
    typer.Option(
        "--criteria",
        "-c",
        help=h(
            "Tệp bộ tiêu chí, hoặc tên bộ có sẵn (hanoi-spcncl, ocop, cnnt). Mặc định: hanoi-spcncl.",
            "Criteria file, or a shipped set name (hanoi-spcncl, ocop, cnnt). Default: hanoi-spcncl.",
        ),
    ),
]


def _lang_default(ctx: typer.Context, param: typer.CallbackParam, value: Lang) -> Lang:
    """Without --lang: SPCNCL_LANG, else the locale (en… → English), else Vietnamese."""
    from typer._click.core import ParameterSource

    if ctx.get_parameter_source(param.name or "lang") is ParameterSource.DEFAULT:
        return Lang(env_lang())
    return value


LangOpt = Annotated[
    Lang,
    typer.Option(
        "--lang",
        callback=_lang_default,
        show_default=False,
        help=h(
            "Ngôn ngữ: vi hoặc en (mặc định: biến SPCNCL_LANG, ngôn ngữ của hệ thống, nếu không thì vi).",
            "Language: vi or en (default: SPCNCL_LANG, else the system locale, else vi).",
        ),
    ),
]
MappingOpt = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        help="YAML file naming the fields of a table's columns (columns: {header: f.field_id}), for tables "
        "whose headers are neither field ids nor labels.",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spcncl-score {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help=h("Hiện traceback của Python (để báo lỗi).", "Show Python tracebacks (for reporting bugs).")
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help=h("In phiên bản rồi thoát.", "Print the version and exit."),
        ),
    ] = False,
) -> None:
    STATE["debug"] = debug
    # the last line of defence: text that was not made printable must not kill the command while
    # it speaks (a byte of a file name that is not UTF-8, kept by Python as a lone surrogate)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _guard(lang: str, body: Callable[[], int]) -> None:
    """Run a command body; `guarded` maps every failure to the exit code, typer exits with it."""
    raise typer.Exit(guarded(lang, body, passthrough=(typer.Exit,)))


def _criteria_file(criteria: str | None) -> Path | None:
    """The criteria file a run reads (a shipped set's file too): an input, never an output."""
    from spcncl_score.criteria.loader import resolve_criteria

    return resolve_criteria(criteria)


def _read_golden(path: Path) -> str:
    """The text of an ``--expect`` file, or the reason it cannot be one (missing, a folder, not UTF-8)."""
    from spcncl_score.i18n import L
    from spcncl_score.issues import Location, SpcnclError, error

    detail: str | L
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        detail = exc.strerror or str(exc)
    except UnicodeDecodeError:
        detail = L("không phải UTF-8", "not UTF-8")
    raise SpcnclError([error("expect-unreadable", Location(file=str(path)), path=str(path), detail=detail)])


def _timestamp(flag: bool) -> dt.datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC) if flag else None


@app.command(
    cls=LocalCommand,
    help=h(
        "Chấm điểm mọi hồ sơ trong PATHS và ghi báo cáo xếp hạng.\n\n"
        "Ví dụ: spcncl-score evaluate samples/hanoi -o bao-cao.xlsx",
        "Score every dossier under PATHS and write the ranked report.\n\n"
        "Example: spcncl-score evaluate samples/hanoi -o report.xlsx",
    ),
)
def evaluate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help=h("Thư mục hoặc tệp hồ sơ (tìm cả thư mục con).", "Dossier folders or files (searched recursively).")
        ),
    ],
    criteria: CriteriaOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            callback=xlsx_output,
            help=h(
                "Tệp báo cáo .xlsx cần ghi (mặc định: spcncl-report.xlsx ở thư mục hiện tại).",
                "Report workbook (.xlsx) to write (default: spcncl-report.xlsx in the current folder).",
            ),
        ),
    ] = None,
    lang: LangOpt = Lang.vi,
    fmt: Annotated[
        Fmt,
        typer.Option(
            "--format",
            help=h(
                "table (tóm tắt trên màn hình) hoặc json (kết quả ra stdout).",
                "table (terminal summary) or json (result on stdout).",
            ),
        ),
    ] = Fmt.table,
    no_report: Annotated[
        bool, typer.Option("--no-report", help=h("Không ghi tệp báo cáo.", "Do not write the workbook."))
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=h(
                "Ghi đè báo cáo đã có; cho phép ghi vào thư mục hồ sơ; với --record, thay bản ghi trước của đợt.",
                "Overwrite an existing report; allow writing inside the dossier folder; with --record, replace the "
                "cohort's earlier record.",
            ),
        ),
    ] = False,
    timestamp: Annotated[
        bool,
        typer.Option(
            "--timestamp",
            help=h(
                "Ghi thời điểm chạy vào báo cáo (cũng lấy từ SOURCE_DATE_EPOCH).",
                "Record the run time in the report (also taken from SOURCE_DATE_EPOCH).",
            ),
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help=h(
                "Không hiện tiến trình, tóm tắt hay tệp tiêu chí đã dùng.",
                "No progress bar, summary or criteria-file line.",
            ),
        ),
    ] = False,
    council: Annotated[
        Path | None,
        typer.Option(
            "--council",
            help=h(
                "Tệp Hội đồng (YAML): thành viên, phân công, xung đột lợi ích, túc số.",
                "Council file (YAML): members, assignments, conflicts, quorum.",
            ),
        ),
    ] = None,
    scores: Annotated[
        Path | None,
        typer.Option(
            "--scores",
            help=h(
                "Thư mục phiếu chấm đã điền của các thành viên (cần kèm --council).",
                "Folder of members' filled scoring forms (needs --council).",
            ),
        ),
    ] = None,
    minutes: Annotated[
        Path | None,
        typer.Option(
            "--minutes",
            help="A report whose minutes sheet holds the council's decisions ('criterion: points'); they "
            "replace the aggregate of the forms.",
        ),
    ] = None,
    preliminary: Annotated[
        Path | None,
        typer.Option(
            "--preliminary", help="Folder of the preliminary round's forms: show each member's changes since."
        ),
    ] = None,
    cards: Annotated[
        Path | None,
        typer.Option(
            "--cards",
            help=h(
                "Ghi thêm mỗi hồ sơ một tệp phiếu kết quả vào thư mục này.",
                "Also write one score-card workbook per dossier into this folder.",
            ),
        ),
    ] = None,
    card_sheets: Annotated[
        bool | None,
        typer.Option(
            "--card-sheets/--no-card-sheets",
            help=h(
                "Phiếu kết quả thành trang tính của báo cáo (mặc định: bật khi có tới 200 hồ sơ).",
                "Score cards as sheets of the report (default: on up to 200 dossiers).",
            ),
        ),
    ] = None,
    mc_runs: Annotated[
        int,
        typer.Option(
            "--mc-runs",
            help=h(
                "Số lần mô phỏng Monte-Carlo khi kiểm tra độ nhạy (0: tắt).",
                "Monte-Carlo runs for the sensitivity check (0 turns it off).",
            ),
        ),
    ] = 1000,
    mc_spread: Annotated[
        float,
        typer.Option(
            "--mc-spread",
            help=h(
                "Biên độ ± phần trăm điểm của mỗi tiêu chí khi kiểm tra độ nhạy.",
                "± percent by which each criterion's points move in the sensitivity check.",
            ),
        ),
    ] = 10.0,
    seed: Annotated[
        int,
        typer.Option(
            "--seed",
            help=h(
                "Hạt khởi tạo ngẫu nhiên của phép mô phỏng độ nhạy (cùng hạt, cùng kết quả).",
                "Random seed of the sensitivity check (same seed, same result).",
            ),
        ),
    ] = 20231107,
    expect: Annotated[
        Path | None,
        typer.Option(
            "--expect",
            callback=existing_file,
            help=h(
                "Tệp JSON chuẩn: thoát mã 1 nếu kết quả khác (các vấn đề tệp đã ghi được coi là dự kiến).",
                "Golden JSON: exit 1 if the results differ from it (findings it records are expected).",
            ),
        ),
    ] = None,
    write_expect: Annotated[
        Path | None,
        typer.Option(
            "--write-expect", help=h("Ghi tệp JSON chuẩn của lần chạy này.", "Write the golden JSON of this run.")
        ),
    ] = None,
    detail_rows: Annotated[
        int,
        typer.Option(
            "--detail-rows",
            help=h(
                "Quá số dòng chi tiết này (hồ sơ × tiêu chí), phần chi tiết được ghi ra tệp CSV cạnh báo cáo.",
                "Above this many detail rows (dossiers x criteria) the detail goes to a CSV beside the report.",
            ),
            min=0,
        ),
    ] = DETAIL_ROW_LIMIT,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help=h(
                "Số tiến trình đọc hồ sơ (mặc định: mỗi CPU một, tối đa 8; dùng từ 150 tệp trở lên).",
                "Processes that read the dossiers (default: one per CPU, at most 8; used from 150 files on).",
            ),
            min=1,
        ),
    ] = None,
    record: Annotated[
        bool,
        typer.Option("--record", help="This is the final run: record the cohort in the history database."),
    ] = False,
    history: Annotated[
        Path | None,
        typer.Option("--history", help="History database (default: spcncl-history.sqlite beside the report)."),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="The cohort's year for the history (default: the dossiers' reporting year)."),
    ] = None,
    mapping: MappingOpt = None,
) -> None:

    def body() -> int:
        from rich.console import Console

        from spcncl_score.cli.console import print_issues, print_summary
        from spcncl_score.evaluation.pipeline import evaluate as run
        from spcncl_score.output import OutputGuard

        if scores is not None and council is None:
            from spcncl_score.issues import Location, SpcnclError, error

            raise SpcnclError([error("scores-needs-council", Location(file=str(scores)), path=str(scores))])
        out = output or Path("spcncl-report.xlsx")
        guard = OutputGuard([*paths, _criteria_file(criteria), council, scores, expect], force)
        guard.require(
            [p for p in ((None if no_report else out), write_expect) if p is not None],
            folders=[cards] if cards is not None else [],
        )
        golden = _read_golden(expect) if expect is not None else None  # before the work, not after it
        if scores is not None and not scores.is_dir():
            # a mistyped folder would otherwise read as "no member sent a form"
            from spcncl_score.issues import Location, SpcnclError, error

            code = "scores-not-folder" if scores.exists() else "input-not-found"
            raise SpcnclError([error(code, Location(file=str(scores)), path=str(scores))])
        err = _err_console()
        bar = _Bar(err) if not quiet and fmt is Fmt.table else None
        from spcncl_score.scoring.sensitivity import SensitivitySettings

        settings = SensitivitySettings(runs=mc_runs, spread_percent=mc_spread, seed=seed) if mc_runs > 0 else None
        try:
            result = run(
                paths,
                criteria,
                progress=bar.phase("Đọc hồ sơ / reading") if bar else None,
                jobs=jobs,
                council=council,
                scores=scores,
                sensitivity=settings,
                minutes=minutes,
                preliminary=preliminary,
                mapping=mapping,
            )
            cohorts = _history_before_report(result, history or out.parent / HISTORY_NAME, record, year, force)
            side: list[Path] = []
            if not no_report:
                from spcncl_score.report.xlsx import detail_side_file, write_xlsx

                csv_file = detail_side_file(result, out, detail_rows)
                if csv_file is not None:
                    guard.require([csv_file])
                guard.write(
                    out,
                    lambda p: side.extend(
                        write_xlsx(
                            result,
                            p,
                            lang=lang.value,
                            timestamp=_timestamp(timestamp),
                            final_path=out,
                            card_sheets=card_sheets,
                            detail_limit=detail_rows,
                            progress=bar.phase("Ghi báo cáo / writing") if bar else None,
                            guard=guard,
                        )
                    ),
                )
        finally:
            if bar is not None:
                bar.close()
        if not quiet:
            for applied in _sets_applied(result):
                say_criteria(err, applied.criteria, applied.criteria_issues, lang.value, warnings=fmt is Fmt.json)
        if not no_report:
            for extra in side:
                err.print(("Đã ghi thêm: " if lang is Lang.vi else "Also written: ") + printable(str(extra)))
        if cohorts:
            from spcncl_score.history.record import record as record_cohort
            from spcncl_score.i18n import label

            db = history or out.parent / HISTORY_NAME
            for cohort in cohorts:
                record_cohort(db, cohort, force=force)
                if not quiet:
                    err.print(
                        label(
                            "history_recorded",
                            lang.value,
                            criteria=cohort.criteria_id,
                            year=cohort.reporting_year,
                            n=len(cohort.entries),
                            recognised=cohort.recognised,
                            path=str(db),
                        )
                    )
        if cards is not None:
            from spcncl_score.report.cards import write_card_workbooks

            if result.parts:
                from spcncl_score.report.parts import part_codes

                # a folder per part: card names number the dossiers of one ranking
                for part, code in zip(result.parts, part_codes(result), strict=True):
                    if part.ranking is not None and len(part.ranking):
                        write_card_workbooks(part, cards / code, lang.value, guard)
            else:
                write_card_workbooks(result, cards, lang.value, guard)
        if write_expect is not None:
            from spcncl_score.report.jsonout import dumps, golden_view

            text = dumps(golden_view(result, lang.value))
            guard.write(write_expect, lambda p: p.write_text(text, encoding="utf-8"))
        if expect is not None:
            from spcncl_score.report.jsonout import compare_golden

            lines = compare_golden(result, golden or "", lang.value)
            for line in lines[:400]:
                typer.echo(printable(line))
            if lines:
                typer.echo(
                    ("Kết quả khác tệp chuẩn " if lang is Lang.vi else "Results differ from ") + printable(str(expect)),
                    err=True,
                )
            return EXIT_FINDINGS if lines else EXIT_OK
        if fmt is Fmt.json:
            from spcncl_score.report.jsonout import dumps, result_to_dict

            sys.stdout.write(dumps(result_to_dict(result, lang.value)))
        elif not quiet:
            con = Console(highlight=False)
            print_issues(err, result.criteria_issues + result.issues, lang.value)
            print_summary(con, result, lang.value)
            if not no_report:
                con.print(("Báo cáo: " if lang is Lang.vi else "Report: ") + printable(str(out)))
        return EXIT_FINDINGS if result.has_errors else EXIT_OK

    _guard(lang.value, body)


def _one_part(result: Any, council: Path) -> Any:
    """The run a council's file and forms apply to: the run, or the one category a set's dossiers
    are all of; a run of several parts is refused."""
    if not result.parts:
        return result
    if len(result.parts) == 1 and result.criteria.categories is not None:
        return result.parts[0]
    from spcncl_score.issues import Location, SpcnclError, error
    from spcncl_score.scoring.result import part_name

    parts = [part_name(p.criteria) for p in result.parts]
    raise SpcnclError([error("council-one-part", Location(file=str(council)), parts=parts)])


def _sets_applied(result: Any) -> list[Any]:
    """The run, or one part per criteria set applied (a set's categories say it once, with its base)."""
    if not result.parts:
        return [result]
    seen: dict[tuple[str, str], Any] = {}
    for part in result.parts:
        seen.setdefault((part.criteria.id, part.criteria.version), part)
    if result.criteria.categories is not None:
        return [result]
    return list(seen.values())


HISTORY_NAME = "spcncl-history.sqlite"  # = history.database.DEFAULT_NAME, without importing sqlite for --help


def _history_before_report(result: Any, db: Path, record: bool, year: int | None, force: bool) -> list[Any]:
    """Before anything is written: the cohorts to record (refused early if already recorded), and the
    re-applicants' last applications when a history exists. Returns the cohorts (none without --record).

    A run in parts records one cohort per criteria set; a set's categories are one cohort."""
    cohorts: list[Any] = []
    if record:
        from spcncl_score.history.record import check_recordable, cohort_year, cohorts_of

        stamp = _timestamp(True)
        assert stamp is not None
        cohorts = cohorts_of(result, cohort_year(result, year), stamp.date().isoformat())
        for cohort in cohorts:
            check_recordable(db, cohort, force)
    if db.is_file():
        from spcncl_score.history.queries import previous_for
        from spcncl_score.history.record import cohort_year, reads_sha256, set_reads
        from spcncl_score.issues import SpcnclError

        this_year = cohorts[0].reporting_year if cohorts else year
        if this_year is None:
            try:
                this_year = cohort_year(result, None)
            except SpcnclError:
                this_year = None  # no year stated: every other cohort counts as earlier
        if not result.parts:
            result.previous = previous_for(db, result, this_year)
        for part in result.parts:
            this_run = reads_sha256(set_reads(result, part.criteria.id))
            part.previous = previous_for(db, part, this_year, this_run)
    return cohorts


class _Bar:
    """One transient progress display for a whole command: reading, scoring, building, writing, saving.

    Library calls report (done, total, what); ``total`` 0 means the amount is not known beforehand
    (the bytes written while the workbook file is saved): the bar then pulses and shows megabytes.
    The display starts with the first report, so a quick or failing run shows nothing.
    """

    def __init__(self, console: Any) -> None:
        self.console = console
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}

    def phase(self, title: str) -> Callable[[int, int, str], None]:
        def report(done: int, total: int, what: str) -> None:
            self._report(title, done, total, what)

        return report

    def _report(self, title: str, done: int, total: int, what: str) -> None:
        if self._progress is None:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[amount]}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._progress.start()
        kind = "count" if total > 0 else "bytes"
        amount = f"{done:,}/{total:,}" if total > 0 else f"{done / 1e6:,.1f} MB"
        description = f"{title} · {what[-40:]}" if what else title
        if kind not in self._tasks:
            self._tasks[kind] = self._progress.add_task(
                description, total=total if total > 0 else None, completed=done, amount=amount
            )
        for other, task in self._tasks.items():
            self._progress.update(task, visible=other == kind)
        fields: dict[str, Any] = {"total": total} if total > 0 else {}
        self._progress.update(self._tasks[kind], completed=done, description=description, amount=amount, **fields)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


@app.command(
    cls=LocalCommand,
    help=h(
        "Kiểm tra hồ sơ mà không chấm điểm; liệt kê mọi vấn đề kèm tệp, trang tính và ô.\n\n"
        "Ví dụ: spcncl-score validate ho-so/",
        "Check dossiers without scoring them; list every problem with file, sheet and cell.\n\n"
        "Example: spcncl-score validate dossiers/",
    ),
)
def validate(
    paths: Annotated[list[Path], typer.Argument(help=h("Thư mục hoặc tệp hồ sơ.", "Dossier folders or files."))],
    criteria: CriteriaOpt = None,
    lang: LangOpt = Lang.vi,
    fmt: Annotated[Fmt, typer.Option("--format", help=h("table hoặc json.", "table or json."))] = Fmt.table,
    mapping: MappingOpt = None,
) -> None:

    def body() -> int:
        from spcncl_score.cli.console import print_issues
        from spcncl_score.evaluation.pipeline import read_with_criteria
        from spcncl_score.issues import Severity

        intake = read_with_criteria(criteria, paths, mapping=mapping)
        files, reads, issues = intake.files, intake.reads, intake.issues
        for cs, criteria_issues in intake.sets.values():
            say_criteria(_err_console(), cs, criteria_issues, lang.value, warnings=fmt is Fmt.json)
        criteria_issues = [i for _, own in intake.sets.values() for i in own]
        if fmt is Fmt.json:
            import json

            data = {
                "issues": [i.to_dict(lang.value) for i in issues],
                "files": [{"file": f.display, "kind": f.kind} for f in files],
            }
            sys.stdout.write(json_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)) + "\n")
        else:
            print_issues(_err_console(), criteria_issues + issues, lang.value, min_severity=Severity.INFO)
            ok = sum(1 for r in reads if r.ok)
            typer.echo(f"{ok}/{len(reads)} " + ("hồ sơ hợp lệ" if lang is Lang.vi else "dossiers valid"))
        return EXIT_FINDINGS if any(i.is_error for i in issues) else EXIT_OK

    _guard(lang.value, body)


@app.command(
    cls=LocalCommand,
    help=h(
        "Ghi biểu mẫu tự đánh giá cho doanh nghiệp điền, lập từ bộ tiêu chí.\n\n"
        "Ví dụ: spcncl-score template -o tu-danh-gia.xlsx --year 2025\n\n"
        "Bộ tiêu chí chia loại (cnnt): mỗi loại một biểu mẫu; -o là thư mục (hoặc tên tệp .xlsx, mỗi tệp "
        "thêm mã loại), hoặc --category LOẠI để ghi một biểu mẫu: "
        "spcncl-score template -c cnnt -o bieu-mau/",
        "Write the self-assessment form that enterprises fill, generated from the criteria.\n\n"
        "Example: spcncl-score template -o tu-danh-gia.xlsx --year 2025\n\n"
        "A set with categories (cnnt): one form per category; -o is a folder (or an .xlsx name, each file "
        "taking the category's id), or --category ID writes one form: "
        "spcncl-score template -c cnnt -o forms/",
    ),
)
def template(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            callback=form_output,
            help=h(
                "Tệp biểu mẫu .xlsx cần ghi (bộ chia loại: thư mục, hoặc tên tệp .xlsx).",
                "Form workbook (.xlsx) to write (a set with categories: a folder, or an .xlsx name).",
            ),
        ),
    ],
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            help=h(
                "Bộ tiêu chí chia loại: ghi biểu mẫu của một loại (mã loại).",
                "A set with categories: write the form of one category (its id).",
            ),
        ),
    ] = None,
    criteria: CriteriaOpt = None,
    lang: LangOpt = Lang.vi,
    year: Annotated[
        int | None,
        typer.Option("--year", help=h("Năm báo cáo (mặc định: năm trước).", "Reporting year (default: last year).")),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=h("Ghi đè tệp đã có.", "Overwrite an existing file."))] = False,
) -> None:

    def body() -> int:
        from spcncl_score.criteria.loader import load_or_raise
        from spcncl_score.intake.form import form_targets
        from spcncl_score.output import OutputGuard

        guard = OutputGuard([_criteria_file(criteria)], force)
        cs, criteria_issues = load_or_raise(criteria)
        targets = form_targets(cs, output, category)
        # every form's place is checked before anything is said or written: all of them, or none
        guard.require([p for p, _ in targets], [output] if not output.suffix else [])
        say_criteria(_err_console(), cs, criteria_issues, lang.value)
        for path, own in targets:
            guard.write(path, functools.partial(_write_one_form, own, lang=lang.value, year=year))
            typer.echo(("Đã ghi biểu mẫu: " if lang is Lang.vi else "Form written: ") + printable(str(path)))
        return EXIT_OK

    _guard(lang.value, body)


def _write_one_form(cs: Any, path: Path, *, lang: str, year: int | None) -> None:
    from spcncl_score.intake.form import write_form

    write_form(cs, path, lang=lang, reporting_year=year)


@app.command(
    cls=LocalCommand,
    help=h(
        "Giải thích một hồ sơ: ô nhập → chỉ số → khoảng điểm → điểm, điều kiện, kết quả, hạng sao/bậc, "
        "và mức cần đạt để thêm điểm.\n\n"
        "Ví dụ: spcncl-score explain samples/hanoi/hn01-co-khi-chinh-xac-dong-anh.xlsx --cohort samples/hanoi",
        "Explain one dossier: input cells -> indicator -> band -> points, gates, outcome, tier, next bands.\n\n"
        "Example: spcncl-score explain samples/hanoi/hn01-co-khi-chinh-xac-dong-anh.xlsx --cohort samples/hanoi",
    ),
)
def explain(
    dossier: Annotated[Path, typer.Argument(help=h("Một tệp hồ sơ.", "One dossier workbook."))],
    criteria: CriteriaOpt = None,
    lang: LangOpt = Lang.vi,
    fmt: Annotated[
        Fmt, typer.Option("--format", help=h("table (văn bản) hoặc json.", "table (text) or json."))
    ] = Fmt.table,
    cohort: Annotated[
        Path | None,
        typer.Option(
            "--cohort",
            help=h(
                "Thư mục cả đợt hồ sơ, để nêu hạng, cách phân định đồng điểm và Top N.",
                "The folder of the whole batch, so that rank, tie-break and Top N are stated.",
            ),
        ),
    ] = None,
    row: Annotated[
        int | None,
        typer.Option("--row", help="For a table (one dossier per row): the dossier's row number in the sheet."),
    ] = None,
    mapping: MappingOpt = None,
) -> None:

    def body() -> int:
        from spcncl_score.evaluation.explain import explain as run_explain
        from spcncl_score.evaluation.explain import render_text
        from spcncl_score.evaluation.pipeline import evaluate as run

        if cohort is not None:
            result = run([cohort], criteria, sensitivity=None, mapping=mapping)
            target = dossier.resolve()
            names = [f.display for f in result.files if f.path.resolve() == target]
        else:
            result = run([dossier], criteria, sensitivity=None, mapping=mapping)
            names = [f.display for f in result.files]
        # a table's rows are named FILE#row N: --row picks one, else its first dossier
        wanted = [n for n in names if row is not None and n.endswith(f"#row {row}")]
        rows = [n.rsplit("#row ", 1)[1] for n in names if "#row " in n]
        if (row is not None and not wanted) or (row is None and len(rows) > 1):
            from spcncl_score.issues import Location, SpcnclError, error

            loc = Location(file=str(dossier))
            if row is None:
                raise SpcnclError([error("explain-needs-row", loc, count=len(rows), rows=rows)])
            raise SpcnclError([error("explain-no-row", loc, row=row, rows=rows or "—")])
        name = (wanted or names or [dossier.name])[0]
        own = result.part_of(name) or result  # in a run in parts, the criteria the dossier was scored with
        say_criteria(_err_console(), own.criteria, own.criteria_issues, lang.value)
        read = result.read_of(name)
        if read is None or not read.ok:
            from spcncl_score.cli.console import print_issues

            print_issues(_err_console(), [i for i in result.issues if i.location.file == name], lang.value)
            return EXIT_FINDINGS
        ex = run_explain(result, name, lang.value, cohort=cohort is not None)
        if fmt is Fmt.json:
            import json

            sys.stdout.write(json_text(json.dumps(ex.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)) + "\n")
        else:
            typer.echo(printable(render_text(ex, lang.value)))
        return EXIT_FINDINGS if any(i.is_error and i.location.file == name for i in result.issues) else EXIT_OK

    _guard(lang.value, body)


@app.command(
    cls=LocalCommand,
    help=h(
        "Ghi dữ liệu đầu vào của mọi hồ sơ hợp lệ thành một bảng, mỗi hồ sơ một dòng; đọc lại bảng này cho "
        "đúng điểm như các biểu mẫu.\n\n"
        "Cột là tên định danh của biểu mẫu (hoặc tiêu đề trong tệp ánh xạ), dòng thứ hai ghi nhãn.\n\n"
        "Ví dụ: spcncl-score export samples/hanoi -o ho-so.xlsx",
        "Write every valid dossier's inputs as one table, one row per dossier; read back, it scores the "
        "same.\n\n"
        "Columns are the form's defined names (or the mapping's headers), with the labels in a second "
        "row.\n\n"
        "Example: spcncl-score export samples/hanoi -o ho-so.xlsx",
    ),
)
def export(
    paths: Annotated[list[Path], typer.Argument(help="Dossier folders or files (forms and tables).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The table to write: .xlsx or .csv.")],
    criteria: CriteriaOpt = None,
    mapping: MappingOpt = None,
    lang: LangOpt = Lang.vi,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:

    def body() -> int:
        from spcncl_score.cli.console import print_issues
        from spcncl_score.evaluation.pipeline import mapping_or_raise, read_with_criteria
        from spcncl_score.i18n import label
        from spcncl_score.intake.tablewrite import build_export, write_export
        from spcncl_score.issues import Location, SpcnclError, error
        from spcncl_score.output import OutputGuard

        suffix = output.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise SpcnclError([error("export-format", Location(file=str(output)), suffix=suffix or "—")])
        guard = OutputGuard([*paths, _criteria_file(criteria), mapping], force)
        guard.require([output])
        intake = read_with_criteria(criteria, paths, mapping=mapping)
        cs, reads, issues = intake.criteria, intake.reads, intake.issues
        if len(intake.sets) > 1:
            found = [
                f"{k} {v} ({sum(1 for r in reads if r.dossier and r.dossier.criteria_id == k)})" for k, v in intake.sets
            ]
            example = " | ".join(f"-c {k}" for k, _ in intake.sets)
            raise SpcnclError([error("criteria-mixed", Location(), sets=found, example=example)])
        table = build_export(cs, reads, mapping_or_raise(mapping, cs), lang.value)
        created = dt.datetime.combine(cs.effective, dt.time())
        guard.write(output, lambda p: write_export(table, p, suffix, created))
        print_issues(_err_console(), [i for i in issues if i.is_error], lang.value)
        rows = [c for c in table.counts if c.missing or c.reinterpreted]
        if rows:
            typer.echo(label("export_counts_header", lang.value))
            for c in rows:
                typer.echo(f"{c.column}\t{c.missing}\t{c.reinterpreted}")
        done = label("export_done", lang.value, n=table.exported, path=str(output), skipped=len(table.skipped))
        typer.echo(done)
        return EXIT_FINDINGS if table.skipped else EXIT_OK

    _guard(lang.value, body)


@app.command(
    cls=LocalCommand,
    help=h(
        "Ghi bản kiểm tra (bút đỏ) của hồ sơ: ô có vấn đề được tô màu và ghi chú, kèm trang tóm tắt.\n\n"
        "Ví dụ: spcncl-score annotate ho-so/cong-ty-a.xlsx -o cong-ty-a-kiem-tra.xlsx",
        "Write a red-pen copy of a dossier: problem cells highlighted and commented, with a summary sheet.\n\n"
        "Example: spcncl-score annotate dossiers/cong-ty-a.xlsx -o cong-ty-a-kiem-tra.xlsx",
    ),
)
def annotate(
    dossier: Annotated[Path, typer.Argument(help=h("Tệp hồ sơ của doanh nghiệp.", "The enterprise's workbook."))],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            callback=workbook_copy_output,
            help=h("Bản kiểm tra .xlsx cần ghi.", "The checked copy (.xlsx) to write."),
        ),
    ],
    criteria: CriteriaOpt = None,
    lang: LangOpt = Lang.vi,
    force: Annotated[bool, typer.Option("--force", help=h("Ghi đè tệp đã có.", "Overwrite an existing file."))] = False,
) -> None:

    def body() -> int:
        from spcncl_score.output import OutputGuard
        from spcncl_score.report.annotate import annotate as run_annotate

        guard = OutputGuard([dossier, _criteria_file(criteria)], force)
        guard.require([output])
        from spcncl_score.criteria.loader import load_or_raise

        cs, criteria_issues = load_or_raise(criteria)
        say_criteria(_err_console(), cs, criteria_issues, lang.value)
        try:
            res = run_annotate(dossier, output, criteria, lang.value, guard)
        except ValueError:
            from spcncl_score.cli.console import print_issues
            from spcncl_score.evaluation.pipeline import evaluate as run

            print_issues(_err_console(), run([dossier], criteria).issues, lang.value)
            return EXIT_ERROR
        errors = sum(1 for i in res.issues if i.is_error)
        typer.echo(
            (
                f"{res.marked_cells} ô được đánh dấu, {errors} lỗi: "
                if lang is Lang.vi
                else f"{res.marked_cells} cells marked, {errors} errors: "
            )
            + printable(str(output))
        )
        return EXIT_FINDINGS if errors else EXIT_OK

    _guard(lang.value, body)


@criteria_app.command(
    "check",
    cls=LocalCommand,
    help=h(
        "Kiểm tra tệp bộ tiêu chí; mỗi thông báo nêu tệp và dòng.\n\n"
        "Ví dụ: spcncl-score criteria check criteria/*.yaml",
        "Check criteria files; every message names the file and line.\n\n"
        "Example: spcncl-score criteria check criteria/*.yaml",
    ),
)
def criteria_check(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help=h("Tệp bộ tiêu chí (mặc định: các bộ có sẵn).", "Criteria files (default: the shipped sets).")
        ),
    ] = None,
    lang: LangOpt = Lang.vi,
) -> None:
    _guard(lang.value, lambda: _check_criteria(files, lang.value))


def _check_criteria(files: list[str] | None, lang: str) -> int:
    """Load and check each file (default: the shipped sets); 1 if any fails."""
    from spcncl_score.criteria.loader import load_criteria, shipped_sets
    from spcncl_score.issues import Severity

    targets = files or [str(p) for p in shipped_sets().values()]
    worst = EXIT_OK
    for t in targets:
        try:
            cs, issues = load_criteria(t)
        except Exception as exc:  # a bug met on one file must not hide the verdict on the others
            if STATE["debug"]:
                raise
            from spcncl_score.issues import Location, error

            cs, issues = None, [error("internal-error", Location(file=t), detail=f"{type(exc).__name__}: {exc}")]
        if issues:
            from spcncl_score.cli.console import print_issues

            print_issues(_err_console(), issues, lang, min_severity=Severity.INFO)
        if cs is None:
            worst = EXIT_FINDINGS
        status = "ok" if cs is not None else ("LỖI" if lang == "vi" else "FAILED")
        fp = "mã kiểm tra" if lang == "vi" else "fingerprint"
        about = f" ({cs.id} {cs.version}, {fp} {cs.fingerprint})" if cs else ""
        typer.echo(f"{printable(t)}: {status}" + printable(about))
        if cs is not None and cs.categories is not None:
            _say_categories_checked(cs, lang)
    return worst


def _say_categories_checked(cs: Any, lang: str) -> None:
    """One line per category: each is a set of its own, checked as any set is."""
    from spcncl_score.criteria.categories import category_label, category_sets
    from spcncl_score.i18n import format_number, label

    for cid, own in category_sets(cs).items():
        line = label(
            "check_category",
            lang,
            id=cid,
            name=category_label(cs, cid, lang),
            fingerprint=own.fingerprint,
            n=sum(1 for _ in own.criteria()),
            max=format_number(own.total_max, lang),
        )
        typer.echo(printable(line))


@criteria_app.command(
    "schema",
    cls=LocalCommand,
    help=h(
        "In JSON Schema của định dạng bộ tiêu chí (cho trình soạn thảo và CI).\n\n"
        "Ví dụ: spcncl-score criteria schema -o criteria.schema.json",
        "Print the JSON Schema of the criteria format (for editors and CI).\n\n"
        "Example: spcncl-score criteria schema -o criteria.schema.json",
    ),
)
def criteria_schema_cmd(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=h("Ghi ra tệp thay vì stdout.", "Write to a file instead of stdout.")),
    ] = None,
    lang: LangOpt = Lang.vi,
    force: Annotated[bool, typer.Option("--force", help=h("Ghi đè tệp đã có.", "Overwrite an existing file."))] = False,
) -> None:

    def body() -> int:
        from spcncl_score.criteria.schema import schema_text

        text = schema_text()
        if output:
            from spcncl_score.output import OutputGuard

            OutputGuard([], force).write(output, lambda p: p.write_text(text, encoding="utf-8"))
        else:
            sys.stdout.write(text)
        return EXIT_OK

    _guard(lang.value, body)


@criteria_app.command(
    "show",
    cls=LocalCommand,
    help=h(
        "Hiện bộ tiêu chí dạng cây dễ đọc: nhóm, tiêu chí, cách tính điểm, điều kiện, kết quả.\n\n"
        "Ví dụ: spcncl-score criteria show hanoi-spcncl --lang en",
        "Show a criteria set as a readable tree: groups, criteria, rules, gates, outcome.\n\n"
        "Example: spcncl-score criteria show hanoi-spcncl --lang en",
    ),
)
def criteria_show(
    file: Annotated[
        str | None, typer.Argument(help=h("Tệp bộ tiêu chí hoặc tên bộ có sẵn.", "Criteria file or shipped set name."))
    ] = None,
    lang: LangOpt = Lang.vi,
) -> None:

    def body() -> int:
        from rich.console import Console

        from spcncl_score.cli.criteria_view import criteria_tree
        from spcncl_score.criteria.loader import load_or_raise

        cs, criteria_issues = load_or_raise(file)
        say_criteria(_err_console(), cs, criteria_issues, lang.value)
        Console(highlight=False).print(criteria_tree(cs, lang.value))
        return EXIT_OK

    _guard(lang.value, body)


@criteria_app.command(
    "diff",
    cls=LocalCommand,
    help=h(
        "Cho biết thay đổi bộ tiêu chí nghĩa là gì và ai bị ảnh hưởng: đạt/không đạt, Top N, hạng sao/bậc, hạng.\n\n"
        "Ví dụ: spcncl-score criteria diff criteria/hanoi-spcncl.yaml de-xuat.yaml --dossiers samples/hanoi",
        "Show what a criteria change means, and who it would move: pass/fail, Top N, tier, rank.\n\n"
        "Example: spcncl-score criteria diff criteria/hanoi-spcncl.yaml proposed.yaml --dossiers samples/hanoi",
    ),
)
def criteria_diff(
    old: Annotated[
        str,
        typer.Argument(
            help=h(
                "Bộ tiêu chí đang áp dụng (tệp hoặc tên bộ có sẵn).",
                "The criteria file in force (or a shipped set name).",
            )
        ),
    ],
    new: Annotated[str, typer.Argument(help=h("Bộ tiêu chí đề xuất.", "The proposed criteria file."))],
    dossiers: Annotated[
        Path | None,
        typer.Option(
            "--dossiers",
            help=h(
                "Chấm lại các hồ sơ này (biểu mẫu của bộ cũ) theo cả hai bộ.",
                "Replay these dossiers (forms made for OLD) under both versions.",
            ),
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help=h("markdown hoặc json.", "markdown or json."))] = "markdown",
    fail_on_change: Annotated[
        bool,
        typer.Option(
            "--fail-on-change",
            help=h("Thoát mã 1 nếu có bất kỳ thay đổi nào (cho CI).", "Exit 1 if anything changes (for CI)."),
        ),
    ] = False,
    mapping: MappingOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:

    def body() -> int:
        from spcncl_score.criteria.loader import load_or_raise
        from spcncl_score.evaluation.diff import diff, to_markdown

        a, a_issues = load_or_raise(old)
        b, b_issues = load_or_raise(new)
        say_criteria(_err_console(), a, a_issues, lang.value)
        say_criteria(_err_console(), b, b_issues, lang.value)
        result = diff(a, b, dossiers, mapping, lang.value)
        if fmt == "json":
            import json

            text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)
            sys.stdout.write(json_text(text) + "\n")
        else:
            sys.stdout.write(to_markdown(result, lang.value))
        return EXIT_FINDINGS if fail_on_change and result.any_change else EXIT_OK

    _guard(lang.value, body)


@council_app.command(
    "forms",
    cls=LocalCommand,
    help=h(
        "Ghi mỗi thành viên có quyền biểu quyết một phiếu đánh giá, bỏ các hồ sơ có xung đột lợi ích.\n\n"
        "Ví dụ: spcncl-score council forms samples/hanoi --council hoi-dong.yaml -o phieu/",
        "Write one scoring form (phiếu đánh giá) per voting member, conflicted dossiers left out.\n\n"
        "Example: spcncl-score council forms samples/hanoi --council council.yaml -o phieu/",
    ),
)
def council_forms(
    paths: Annotated[list[Path], typer.Argument(help=h("Thư mục hoặc tệp hồ sơ.", "Dossier folders or files."))],
    council: Annotated[Path, typer.Option("--council", help=h("Tệp Hội đồng (YAML).", "Council file (YAML)."))],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help=h("Thư mục ghi phiếu của các thành viên.", "Folder for the members' forms.")
        ),
    ],
    criteria: CriteriaOpt = None,
    force: Annotated[
        bool,
        typer.Option("--force", help=h("Ghi đè phiếu đã có trong thư mục.", "Overwrite forms already in the folder.")),
    ] = False,
    carry_over: Annotated[
        Path | None,
        typer.Option(
            "--carry-over",
            help="Folder of the preliminary round's filled forms: each member's scores are typed into their "
            "official form in advance (dossiers unchanged since only).",
        ),
    ] = None,
    lang: LangOpt = Lang.vi,
) -> None:

    def body() -> int:
        from spcncl_score.council.forms import write_member_form
        from spcncl_score.council.run import conflicts_of, load_or_raise
        from spcncl_score.evaluation.pipeline import evaluate as run
        from spcncl_score.output import OutputGuard

        guard = OutputGuard([*paths, council, _criteria_file(criteria)], force)
        guard.require(folders=[output])
        result = _one_part(run(paths, criteria), council)
        say_criteria(_err_console(), result.criteria, result.criteria_issues, lang.value)
        cm = load_or_raise(council, result)
        conflicts = conflicts_of(cm, result)
        prefill: dict[str, dict[tuple[str, str], tuple[float, str]]] = {}
        if carry_over is not None:
            from spcncl_score.council.rounds import carried, read_preliminary

            prelim = read_preliminary(carry_over, cm, result.criteria, result)
            prefill = carried(prelim)
            result.issues.extend(prelim.issues)
        targets = {m.id: output / f"phieu-{cm.id}-{m.id}.xlsx" for m in cm.voting}
        # every form is checked before the first is written: a refusal leaves nothing half done
        guard.require(list(targets.values()), folders=[output])
        for m in cm.voting:

            def write(p: Path, member: Any = m) -> int:
                return write_member_form(cm, member, result, conflicts, p, prefill.get(member.id))

            cells = guard.write(targets[m.id], write)
            left_out = sorted({f.dossier for f in conflicts if f.member == m.id})
            if lang is Lang.vi:
                note = f" (xung đột lợi ích, không chấm: {', '.join(left_out)})" if left_out else ""
            else:
                note = f" (conflict of interest, not scored: {', '.join(left_out)})" if left_out else ""
            if carry_over is not None:
                cs = result.criteria
                mine = {c.id for _, c in cs.criteria() if c.council and m in cm.scorers(cs, c.id)}
                n = sum(1 for d, c in prefill.get(m.id, {}) if d not in left_out and c in mine)
                kept = "điểm chép từ vòng sơ bộ" if lang is Lang.vi else "carried over from the preliminary round"
                note += f", {n} {kept}"
            cells_word = "ô điểm" if lang is Lang.vi else "score cells"
            typer.echo(printable(f"{targets[m.id]}: {cells} {cells_word}{note}"))
        errors = [i for i in result.issues if i.is_error]
        shown = errors + [i for i in result.issues if i.params.get("preliminary")]
        if shown:
            from spcncl_score.cli.console import print_issues

            print_issues(_err_console(), shown, lang.value)
        return EXIT_FINDINGS if errors else EXIT_OK

    _guard(lang.value, body)


@council_app.command(
    "status",
    cls=LocalCommand,
    help=h(
        "Trước phiên họp: ai đã nộp phiếu nào, ô còn trống theo thành viên và tiêu chí, túc số theo từng hồ "
        "sơ. Mã thoát 0 khi đã đủ, 1 khi còn thiếu.\n\n"
        "Ví dụ: spcncl-score council status ho-so-2025/ --council hoi-dong.yaml --scores phieu/",
        "Before the meeting: who returned which forms, blank cells per member and criterion, quorum per "
        "dossier. Exit 0 when everything is in, 1 when something is missing.\n\n"
        "Example: spcncl-score council status ho-so-2025/ --council hoi-dong.yaml --scores phieu/",
    ),
)
def council_status_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Dossier folders or files.")],
    council: Annotated[Path, typer.Option("--council", help="Council file (YAML).")],
    scores: Annotated[Path, typer.Option("--scores", help="Folder of the members' forms returned so far.")],
    criteria: CriteriaOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:

    def body() -> int:
        from spcncl_score.council.status import council_status, render_status
        from spcncl_score.evaluation.pipeline import evaluate as run

        result = _one_part(run(paths, criteria, sensitivity=None), council)
        st = council_status(result, council, scores)
        sys.stdout.write(render_status(st, lang.value))
        return EXIT_OK if st.complete else EXIT_FINDINGS

    _guard(lang.value, body)


history_app = typer.Typer(
    cls=LocalGroup,
    help=h(
        "Lịch sử công nhận (do evaluate --record ghi): các đợt đã ghi, một sản phẩm qua các năm, công nhận "
        "sắp hết hạn.",
        "The history of recognitions (written by evaluate --record): cohorts, a product across years, "
        "recognitions ending.",
    ),
)
app.add_typer(history_app, name="history")
HistoryOpt = Annotated[
    Path, typer.Option("--history", help="History database (default: spcncl-history.sqlite in the current folder).")
]


@history_app.callback(invoke_without_command=True)
def history_cohorts(
    ctx: typer.Context,
    history: HistoryOpt = Path(HISTORY_NAME),
    lang: LangOpt = Lang.vi,
) -> None:
    """List the cohorts recorded so far: year, criteria, round, dossiers, recognitions.

    Example: spcncl-score history --history bao-cao/spcncl-history.sqlite
    """
    if ctx.invoked_subcommand is not None:
        return

    def body() -> int:
        from spcncl_score.history.queries import cohorts
        from spcncl_score.history.text import render_cohorts

        sys.stdout.write(render_cohorts(cohorts(history), lang.value))
        return EXIT_OK

    _guard(lang.value, body)


@history_app.command(
    "product",
    cls=LocalCommand,
    help=h(
        "Điểm của một sản phẩm qua các năm: tổng điểm, thứ hạng, kết quả, và hiệu lực công nhận đến năm "
        "nào.\n\n"
        "Ví dụ: spcncl-score history product 0109615386",
        "A product's scores across years: total, rank, outcome, and until when it is recognised.\n\n"
        "Example: spcncl-score history product 0109615386",
    ),
)
def history_product(
    tax_code: Annotated[str, typer.Argument(help="The enterprise's tax code (mã số thuế).")],
    history: HistoryOpt = Path(HISTORY_NAME),
    lang: LangOpt = Lang.vi,
) -> None:

    def body() -> int:
        from spcncl_score.history.queries import product_history
        from spcncl_score.history.text import render_product

        rows = product_history(history, tax_code)
        sys.stdout.write(render_product(tax_code, rows, lang.value))
        return EXIT_OK if rows else EXIT_FINDINGS

    _guard(lang.value, body)


@history_app.command(
    "expiring",
    cls=LocalCommand,
    help=h(
        "Các công nhận hết hiệu lực trong một năm (công nhận có hiệu lực ba năm), và những sản phẩm đã được "
        "công nhận lại.\n\n"
        "Ví dụ: spcncl-score history expiring --year 2026",
        "The recognitions that end in a year (recognition lasts three years), and which were renewed.\n\n"
        "Example: spcncl-score history expiring --year 2026",
    ),
)
def history_expiring(
    year: Annotated[int, typer.Option("--year", help="The year in which the recognitions end.")],
    history: HistoryOpt = Path(HISTORY_NAME),
    lang: LangOpt = Lang.vi,
) -> None:

    def body() -> int:
        from spcncl_score.history.queries import expiring
        from spcncl_score.history.text import render_expiring

        sys.stdout.write(render_expiring(year, expiring(history, year), lang.value))
        return EXIT_OK

    _guard(lang.value, body)
