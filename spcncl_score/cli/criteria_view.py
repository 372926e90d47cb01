"""A criteria set as a rich tree for the terminal (`criteria show`)."""

from __future__ import annotations

from rich.markup import escape as _markup_escape
from rich.tree import Tree

from spcncl_score.criteria.categories import category_label
from spcncl_score.criteria.gatetree import comparison_text, walk_with_keys
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.i18n import label
from spcncl_score.printable import printable


def escape(text: str) -> str:
    """Text of the criteria file as shown: no rich markup, no control characters ("\\e[31m" is a
    valid YAML string)."""
    return _markup_escape(printable(text))


def _src(source: object, lang: str) -> str:
    if source is None:
        return ""
    status = getattr(source, "status", "")
    colour = "green" if status == "verified" else "yellow"
    return f" [{colour}]({escape(source.describe(lang))})[/]"  # type: ignore[attr-defined]


def criteria_tree(cs: CriteriaSet, lang: str = "vi") -> Tree:
    root = Tree(
        f"[bold]{escape(cs.title.get(lang))}[/] — {cs.id} {escape(cs.version)} "
        f"({cs.effective.isoformat()}) · fingerprint {cs.fingerprint}"
    )
    if cs.legal_basis:
        lb = root.add("Căn cứ pháp lý" if lang == "vi" else "Legal basis")
        for b in cs.legal_basis:
            lb.add(f"{escape(b.ref)}" + (f" — {escape(b.title.get(lang))}" if b.title else ""))
    fields = root.add(("Trường nhập" if lang == "vi" else "Input fields") + f" ({len(cs.fields)})")
    for f in cs.fields:
        extra = f", {f.years} " + ("năm" if lang == "vi" else "years") if f.years else ""
        unit = f", {f.unit}" if f.unit else ""
        fields.add(f"{f.id}: {escape(f.label.get(lang))} [dim]({f.type}{unit}{extra})[/]")
    if cs.indicators:
        inds = root.add(("Chỉ số" if lang == "vi" else "Indicators") + f" ({len(cs.indicators)})")
        for i in cs.indicators:
            inds.add(f"{i.id} = {escape(i.formula())} [dim]{escape(i.label.get(lang))}[/]")
    scoring = root.add(f"{label('total_points', lang)}: {cs.total_max:g}")
    for g in cs.groups:
        gn = scoring.add(f"[bold]{g.id.upper()}[/] {escape(g.title.get(lang))} — {g.max:g}{_src(g.source, lang)}")
        for c in g.criteria:
            cn = gn.add(f"{c.id}: {escape(c.title.get(lang))} — {c.max:g}")
            inp = c.input or label("council_scored", lang)
            cn.add(f"{escape(inp)}: {escape(c.rule.describe(lang))}")
            if c.minimum:
                cn.add(f"{label('minimum', lang)}: {c.minimum.threshold(c.max):g}")
            if c.knockout:
                cn.add(label("knockout", lang))
    if cs.gates is not None:
        gt = root.add(label("sheet_gates", lang))
        nodes: dict[int, Tree] = {-1: gt}
        for _key, node, depth in walk_with_keys(cs.gates):
            if node.ref is not None:
                text = comparison_text(node, lang)
            else:
                text = (
                    ("TẤT CẢ" if lang == "vi" else "ALL")
                    if node.all is not None
                    else ("MỘT TRONG" if lang == "vi" else "ANY")
                )
            title = f"{escape(node.title.get(lang))}: " if node.title else ""
            nodes[depth] = nodes[depth - 1].add(f"{title}{escape(text)}{_src(node.source, lang)}")
    o = cs.outcome
    out = root.add(f"{label('pass_mark', lang)}: {o.pass_mark:g}{_src(o.source, lang)}")
    for t in o.tiers or []:
        out.add(f"{escape(t.label.get(lang))}: {t.range}")
    rk = cs.ranking
    if rk.top_n or rk.tie_breaks:
        r = root.add(f"{label('top_n', lang)}: {rk.top_n or '—'}{_src(rk.source, lang)}")
        for tb in rk.tie_breaks:
            r.add(f"{tb.ref} ({tb.order}) — {escape(cs.label_of(tb.ref, lang))}")
    if cs.categories is not None:
        _categories(root.add(label("show_categories", lang, field=cs.categories.field)), cs, lang)
    return root


def _categories(node: Tree, cs: CriteriaSet, lang: str) -> None:
    """Each category and what it changes of the shared criteria (nothing: the base as it is)."""
    cats = cs.categories
    assert cats is not None
    fields = {f.id for f in cs.fields}
    for c in cats.items:
        cn = node.add(
            f"[bold]{c.id}[/] ({escape(c.code)}) — {escape(category_label(cs, c.id, lang))}{_src(c.source, lang)}"
        )
        changes = 0
        for f in c.fields:
            sign = "~" if f.id in fields else "+"
            cn.add(f"{sign} {f.id}: {escape(f.label.get(lang))} [dim]({f.type})[/]")
            changes += 1
        for change in c.groups:
            base = {x.id for g in cs.groups if g.id == change.id for x in g.criteria}
            gn = cn.add(f"{change.id.upper()}{_src(change.source, lang)}")
            for rid in change.remove:
                gn.add(f"− {rid}")
            for x in change.criteria:
                sign = "~" if x.id in base else "+"
                inp = x.input or label("council_scored", lang)
                gn.add(f"{sign} {x.id}: {escape(x.title.get(lang))} — {x.max:g} [dim]({escape(inp)})[/]")
            changes += 1
        if c.ranking is not None:
            cn.add(f"{label('top_n', lang)}: {c.ranking.top_n or '—'}{_src(c.ranking.source, lang)}")
            changes += 1
        if not changes:
            cn.add(f"[dim]{label('show_category_unchanged', lang)}[/]")
    if cats.overall is not None:
        o = cats.overall
        r = node.add(f"{label('show_categories_overall', lang)}: {o.top_n or '—'}{_src(o.source, lang)}")
        for tb in o.tie_breaks:
            r.add(f"{tb.ref} ({tb.order}) — {escape(cs.label_of(tb.ref, lang))}")
