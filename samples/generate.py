"""Write the sample self-assessment forms from the specs in ``samples/specs.py``.

    python samples/generate.py            # writes samples/hanoi/, samples/ocop/, samples/cnnt/
    python samples/generate.py OUT_DIR    # writes OUT_DIR/hanoi/, ... instead

Deterministic: the same specs and criteria give byte-identical files (the tests check that the
committed files match a fresh generation). Stale ``.xlsx`` files in each output folder are
deleted first. A set whose criteria file is missing or does not load is skipped with a message.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script: make `samples` and `spcncl_score` importable
    sys.path.insert(0, str(ROOT))

from samples import specs  # noqa: E402
from spcncl_score.criteria.categories import category_sets  # noqa: E402
from spcncl_score.criteria.loader import load_criteria  # noqa: E402
from spcncl_score.intake.form import write_form  # noqa: E402


def criteria_ref(ref: str) -> str:
    """A shipped criteria id stays as is; a file path is taken relative to the repository root."""
    return str(ROOT / ref) if ref.endswith((".yaml", ".yml")) else ref


def load_set(ref: str) -> tuple[Any, list[str]]:
    """The criteria set, or None and the reasons it cannot be used."""
    if ref.endswith((".yaml", ".yml")) and not (ROOT / ref).exists():
        return None, [f"{ref} not found"]
    cs, issues = load_criteria(criteria_ref(ref))
    problems = [i.render("en") for i in issues if i.is_error]
    if cs is None or problems:
        return None, problems or [f"{ref} did not load"]
    return cs, []


def form_values(dossier: dict[str, Any]) -> dict[str, Any]:
    """The cell contents: the meant values, with the text the enterprise typed in their place."""
    values = dict(dossier["values"])
    values.update(dossier.get("typed", {}))
    return values


def form_set(cs: Any, dossier: dict[str, Any]) -> Any:
    """The set a dossier's form is made from: its category's own, for a set with categories."""
    if cs.categories is None:
        return cs
    return category_sets(cs)[dossier["values"][cs.categories.field]]


def generate(out_dir: str | Path | None = None, *, quiet: bool = True) -> dict[str, list[Path]]:
    """Write every sample set under ``out_dir`` (default: this folder); return the files per set."""
    out_root = Path(out_dir) if out_dir is not None else HERE
    written: dict[str, list[Path]] = {}
    for folder, spec in specs.SETS.items():
        if not spec["dossiers"]:
            if not quiet:
                print(f"{folder}: no dossiers specified, skipped", file=sys.stderr)
            continue
        cs, problems = load_set(spec["criteria"])
        if cs is None:
            print(f"{folder}: skipped, criteria unusable: {'; '.join(problems)}", file=sys.stderr)
            continue
        target = out_root / folder
        target.mkdir(parents=True, exist_ok=True)
        for stale in sorted(target.glob("*.xlsx")):
            stale.unlink()
        files: list[Path] = []
        for dossier in spec["dossiers"]:
            path = target / dossier["file"]
            write_form(
                form_set(cs, dossier),
                path,
                lang="vi",
                reporting_year=specs.REPORTING_YEAR,
                values=form_values(dossier),
                self_scores=dossier["self_scores"],
            )
            files.append(path)
        written[folder] = files
        if not quiet:
            print(f"{folder}: {len(files)} dossiers written to {target}")
    return written


def main(argv: list[str]) -> int:
    generate(argv[1] if len(argv) > 1 else None, quiet=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
