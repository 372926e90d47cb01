"""Where a council round stands before the meeting: who returned which forms, which assigned cells
are still blank (per member and criterion), and which dossiers have a quorum so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from spcncl_score.council.aggregate import aggregate
from spcncl_score.council.forms import FormFile, read_forms
from spcncl_score.council.model import Council
from spcncl_score.council.run import conflicts_of, load_or_raise
from spcncl_score.i18n import label
from spcncl_score.issues import Issue, Location, SpcnclError, error
from spcncl_score.scoring.result import RunResult

SHOWN_BLANKS = 5  # dossiers named per blank line; the count says how many there are


@dataclass
class MemberForms:
    member: str
    name: str
    role: str
    forms: list[FormFile]
    scored: int  # valid scores in the form that counts
    assigned: int  # cells the member is to score (conflicted dossiers left out)

    @property
    def returned(self) -> bool:
        return any(f.state == "used" for f in self.forms)


@dataclass
class Blanks:
    """Assigned cells of one member and criterion still without a valid score."""

    member: str
    criterion: str
    assigned: int
    dossiers: list[str]


@dataclass
class DossierQuorum:
    dossier: str
    present: int
    needed: int
    chair: bool  # the chair has scored it (or is not required)
    ok: bool


@dataclass
class CouncilStatus:
    council: Council
    members: list[MemberForms]
    blanks: list[Blanks]
    quorum: list[DossierQuorum]
    issues: list[Issue] = field(default_factory=list)
    strays: list[FormFile] = field(default_factory=list)  # workbooks that are nobody's form

    @property
    def missing_forms(self) -> list[str]:
        return [m.member for m in self.members if not m.returned]

    @property
    def blank_cells(self) -> int:
        return sum(len(b.dossiers) for b in self.blanks)

    @property
    def without_quorum(self) -> list[str]:
        return [q.dossier for q in self.quorum if not q.ok]

    @property
    def complete(self) -> bool:
        return (
            not self.missing_forms
            and not self.blank_cells
            and not self.without_quorum
            and not any(i.is_error for i in self.issues)
        )


def council_status(result: RunResult, council_file: Path, scores_dir: Path) -> CouncilStatus:
    """The state of the round from the forms returned so far (nothing is scored or written)."""
    if not scores_dir.is_dir():  # a mistyped folder must not read as "nobody has returned a form"
        raise SpcnclError(
            [error("path-not-folder", Location(file=str(scores_dir)), option="--scores", path=str(scores_dir))]
        )
    cs = result.criteria
    council = load_or_raise(council_file, result)
    conflicts = conflicts_of(council, result)
    dossiers = [str(d) for d in result.ranking.index] if result.ranking is not None else []
    fs = read_forms(scores_dir, council, cs, result)
    long = pd.DataFrame(fs.rows, columns=["member", "dossier", "criterion", "score", "comment", "cell", "form"])
    computed_ids = [c.id for _, c in cs.criteria() if not c.council]
    computed = (
        result.scores.points[computed_ids] if result.scores is not None else pd.DataFrame(index=pd.Index(dossiers))
    )
    cr = aggregate(council, cs, dossiers, computed, long, conflicts, fs.members_with_forms)

    conflicted = {(f.member, f.dossier) for f in conflicts}
    done = set(zip(cr.raw["member"], cr.raw["dossier"], cr.raw["criterion"], strict=True))
    blanks: list[Blanks] = []
    members: list[MemberForms] = []
    for m in council.voting:
        assigned = scored = 0
        for _, c in cs.criteria():
            if not c.council or m not in council.scorers(cs, c.id):
                continue
            mine = [d for d in dossiers if (m.id, d) not in conflicted]
            todo = [d for d in mine if (m.id, d, c.id) not in done]
            assigned, scored = assigned + len(mine), scored + len(mine) - len(todo)
            if todo and m.id in fs.members_with_forms:  # no form at all is said once, above the blanks
                blanks.append(Blanks(m.id, c.id, len(mine), todo))
        members.append(MemberForms(m.id, m.name, m.role, [f for f in fs.forms if f.member == m.id], scored, assigned))
    needed = council.quorum_size()
    chair = council.chair
    quorum = []
    for d in dossiers:
        chair_ok = True
        if council.quorum.chair_required and chair is not None:
            chair_ok = bool(((cr.raw["member"] == chair.id) & (cr.raw["dossier"] == d)).any())
        quorum.append(DossierQuorum(d, int(cr.present[d]), needed, chair_ok, bool(cr.quorum[d])))
    voting = {m.id for m in council.voting}
    strays = [f for f in fs.forms if f.member not in voting]
    return CouncilStatus(council, members, blanks, quorum, fs.issues, strays)


def render_status(st: CouncilStatus, lang: str = "vi") -> str:
    """The status as plain text lines, for the terminal and for pinning in tests."""
    c = st.council
    lines = [
        label(
            "status_head",
            lang,
            council=c.id,
            round=label(f"round_{c.round}", lang),
            voting=len(c.voting),
            needed=c.quorum_size(),
            chair=label("status_with_chair", lang) if c.quorum.chair_required else "",
        ),
        "",
        label("status_forms", lang),
    ]
    for m in st.members:
        who = f"  {m.member} {m.name} ({label('role_' + m.role, lang)}): "
        if not m.forms:
            lines.append(who + label("status_no_form", lang))
        for f in m.forms:
            if f.state == "used":
                state = label("status_received", lang, scored=m.scored, assigned=m.assigned)
            else:
                state = label("form_state_" + f.state, lang)
            lines.append(who + f"{f.file} — {state}")
    for f in st.strays:
        lines.append(f"  {f.file} — {label('form_state_' + f.state, lang)}")
    lines += ["", label("status_blanks", lang)]
    if not st.blanks:
        lines.append("  " + label("status_none", lang))
    for b in st.blanks:
        shown = ", ".join(b.dossiers[:SHOWN_BLANKS]) + (", …" if len(b.dossiers) > SHOWN_BLANKS else "")
        lines.append(f"  {b.member} · {b.criterion}: {len(b.dossiers)}/{b.assigned} — {shown}")
    lines += ["", label("status_quorum", lang)]
    for q in st.quorum:
        state = label("status_quorum_ok" if q.ok else "status_quorum_missing", lang)
        chair = "" if q.chair else " · " + label("status_chair_missing", lang)
        lines.append(f"  {q.dossier}: {q.present}/{q.needed} — {state}{chair}")
    if st.issues:
        lines += ["", label("status_issues", lang)]
        lines += [f"  {i.render(lang)}" for i in st.issues]
    lines.append("")
    if st.complete:
        lines.append(label("status_complete", lang))
    else:
        lines.append(
            label(
                "status_incomplete",
                lang,
                forms=len(st.missing_forms),
                blanks=st.blank_cells,
                quorum=len(st.without_quorum),
                errors=sum(1 for i in st.issues if i.is_error),
            )
        )
    return "\n".join(lines) + "\n"
