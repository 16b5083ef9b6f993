"""The evaluation's figures as text: beside their targets and the baselines, per family
and at their worst, per rule, and the misses and over-redactions by kind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from redaction.evaluation.report import Miss

# figure -> (comparison, target)
TARGETS: dict[str, tuple[str, float]] = {
    "refused_recall": (">=", 0.995),
    "refused_name_recall": (">=", 0.995),
    "refused_contact_recall": (">=", 0.995),
    "other_child_recall": (">=", 0.99),
    "authored_pages": (">=", 0.98),
    "relationship_recall": (">=", 0.9),
    "keep_redacted": ("<=", 0.01),
    "child_name_redacted": ("==", 0),
    "requester_name_redacted": ("==", 0),
    "text_leaks": ("==", 0),
    "image_leaks": ("==", 0),
}



def meets(name: str, value: Any) -> bool | None:
    if name not in TARGETS or value is None:
        return None
    op, target = TARGETS[name]
    if op == ">=":
        return bool(value >= target)
    if op == "<=":
        return bool(value <= target)
    return bool(value == target)


# --- printing ----------------------------------------------------------------------

ROWS: tuple[tuple[str, str, str], ...] = (
    # (figure, label, format: "share" | "pct" | "count")
    ("refused_recall", "refused/pending party: mention recall", "share"),
    ("refused_name_recall", "  names (any form, staff, org names)", "share"),
    ("refused_contact_recall", "  contact details (address, phone, email)", "share"),
    ("refused_word_recall", "  word recall", "share"),
    ("other_child_recall", "other children: mention recall", "share"),
    ("authored_pages", "authored pages: all words redacted", "share"),
    ("authored_proposed_whole", "  proposed whole (pipeline only)", "share"),
    ("whole_pages_not_authored", "other pages withheld whole (pipeline only)", "count"),
    ("relationship_recall", "relationship refs: mention recall", "share"),
    ("keep_redacted", "keep words redacted", "pct"),
    ("granted_redacted", "  granted parties' words redacted", "pct"),
    ("child_name_redacted", "child's name redacted (count)", "count"),
    ("requester_name_redacted", "requester's name redacted (count)", "count"),
    ("staff_name_redacted", "staff names redacted (count)", "count"),
    ("text_leaks", "leaks: redacted, still in text layer", "count"),
    ("image_leaks", "leaks: redacted, still in image", "count"),
)


def _fmt(value: Any, kind: str) -> str:
    if value is None:
        return "-"
    if kind == "share":
        return f"{value:.4f}"
    if kind == "pct":
        return f"{100 * value:.2f}%"
    return str(int(value))


def _fmt_target(name: str, kind: str) -> str:
    if name not in TARGETS:
        return ""
    op, target = TARGETS[name]
    if kind == "pct":
        return f"{op} {100 * target:g}%"
    if kind == "count":
        return f"{op} {int(target)}"
    return f"{op} {target:g}"


def format_table(systems: Mapping[str, Mapping[str, Any]], *, headers: Sequence[str] = (),
                 timing: Mapping[str, Any] | None = None) -> str:
    """The figures of each system (first: cleancopy) beside the targets, as text."""
    names = list(systems)
    w0 = max(len(r[1]) for r in ROWS) + 2
    cols = [max(14, len(n) + 2) for n in names]
    lines = [*headers, ""] if headers else []
    head = f"{'figure':<{w0}}{'target':<12}" + "".join(f"{n:>{w}}" for n, w in zip(names, cols, strict=True))
    lines += [head + "  met", "-" * (len(head) + 5)]
    first = names[0] if names else None
    for key, label, kind in ROWS:
        row = f"{label:<{w0}}{_fmt_target(key, kind):<12}"
        for n, w in zip(names, cols, strict=True):
            f = systems[n]
            v = f.get(key)
            cell = _fmt(v, kind)
            nn = f.get("n", {}).get(key)
            if kind == "share" and v is not None and nn is not None and n == first:
                cell += f" /{nn}"
            row += f"{cell:>{w}}"
        ok = meets(key, systems[first].get(key)) if first else None
        row += "  " + {True: "yes", False: "NO", None: ""}[ok]
        lines.append(row)
    if timing:
        lines += ["", format_timing(timing)]
    return "\n".join(lines)


def format_timing(timing: Mapping[str, Any]) -> str:
    lines = ["throughput (cleancopy pipeline: import, OCR, detect, decide, release)"]
    lines += [f"  {label}: {v}" for label, v in timing.items()]
    return "\n".join(lines)


def worst(per_family: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One system's figures over several families, each at its worst: the lowest share
    (a recall), the highest percentage or count (over-redaction, leaks). ``n`` is summed."""
    fams = list(per_family.values())
    out: dict[str, Any] = {}
    for key, _label, kind in ROWS:
        vals = [v for v in (f.get(key) for f in fams) if v is not None]
        if not vals:
            out[key] = None
        elif kind == "share":
            out[key] = min(vals)
        else:
            out[key] = max(vals)
    out["n"] = {k: sum(f.get("n", {}).get(k, 0) for f in fams) for k in fams[0].get("n", {})} if fams else {}
    return out


def format_families(per_family: Mapping[str, Mapping[str, Mapping[str, Any]]], *, headers: Sequence[str] = ()) -> str:
    """Every figure per family and at its worst over the families (the minimum of a
    recall, the maximum of an over-redaction or a leak), for every system; "met" is
    judged on cleancopy's worst. ``per_family``: family -> system -> figures."""
    fams = list(per_family)
    systems = list(next(iter(per_family.values()))) if per_family else []
    first = systems[0] if systems else ""
    cols: list[tuple[str, Mapping[str, Any]]] = [(f"{first} {f}", per_family[f][first]) for f in fams]
    mins = {name: worst({f: per_family[f][name] for f in fams if name in per_family[f]}) for name in systems}
    cols.append((f"{first} min", mins[first]))
    cols += [(f"{sysname} min", mins[sysname]) for sysname in systems[1:]]
    w0 = max(len(r[1]) for r in ROWS) + 2
    widths = [max(14, len(n) + 2) for n, _ in cols]
    lines = [*headers, ""] if headers else []
    head = f"{'figure':<{w0}}{'target':<12}" + "".join(f"{n:>{w}}" for (n, _), w in zip(cols, widths, strict=True))
    lines += [head + "  met", "-" * (len(head) + 5)]
    for key, label, kind in ROWS:
        row = f"{label:<{w0}}{_fmt_target(key, kind):<12}"
        for (_n, f), w in zip(cols, widths, strict=True):
            row += f"{_fmt(f.get(key), kind):>{w}}"
        ok = meets(key, mins[first].get(key)) if first else None
        row += "  " + {True: "yes", False: "NO", None: ""}[ok]
        lines.append(row)
    return "\n".join(lines)


def format_rules(rows: Sequence[Mapping[str, Any]], top: int = 60) -> str:
    """The per-rule table: where recall comes from and what each rule costs in precision."""
    if not rows:
        return "no per-rule figures (no accepted proposals with rules)"
    lines = ["per rule (accepted proposals; precision over the truth words under its boxes, recall over "
             "every mention that must go, 'only': mentions no other rule covers)",
             f"  {'props':>6} {'prec':>6} {'recall':>7} {'only':>5}  rule"]
    for r in rows[:top]:
        p = "-" if r["precision"] is None else f"{r['precision']:.3f}"
        rc = "-" if r["recall"] is None else f"{r['recall']:.3f}"
        name = r["rule"] if len(r["rule"]) <= 100 else r["rule"][:97] + "..."
        lines.append(f"  {r['proposals']:>6} {p:>6} {rc:>7} {r['only']:>5}  {name}")
    if len(rows) > top:
        lines.append(f"  ... {len(rows) - top} more in report.json")
    return "\n".join(lines)


def miss_categories(misses: Iterable[Miss]) -> list[tuple[tuple[str, str, str, str], int]]:
    """(key, document kind, form, ocr) -> number of missed mentions, most first."""
    cnt: Counter[tuple[str, str, str, str]] = Counter((m.key, m.kind, m.form, m.ocr) for m in misses)
    return cnt.most_common()


def format_misses(misses: Sequence[Miss], top: int = 25, examples: int = 0) -> str:
    if not misses:
        return "no missed mentions"
    lines = [f"missed mentions by (class, document kind, form, OCR): {len(misses)} in all",
             f"  {'count':>5}  {'class':<22}{'document kind':<16}{'form':<22}ocr"]
    for (key, kind, form, ocr), n in miss_categories(misses)[:top]:
        lines.append(f"  {n:>5}  {key:<22}{kind:<16}{form:<22}{ocr}")
        if examples:
            ex = [m for m in misses if (m.key, m.kind, m.form, m.ocr) == (key, kind, form, ocr)][:examples]
            for m in ex:
                text = m.text if len(m.text) <= 60 else m.text[:57] + "..."
                lines.append(f"         e.g. {m.case_id} {m.file} p{m.page_index + 1}: {text!r}"
                             f" ({m.redacted_words}/{m.words} words redacted)")
    return "\n".join(lines)


def format_over(over: Sequence[Miss], top: int = 15, examples: int = 0) -> str:
    """Keep words redacted, by (whose words, document kind, form): where precision goes."""
    if not over:
        return "no keep words redacted"
    cnt: Counter[tuple[str, str, str]] = Counter()
    for m in over:
        cnt[(m.key, m.by, m.kind)] += m.words
    lines = [f"keep words redacted by (whose, proposal reason/detector, document kind): "
             f"{sum(m.words for m in over)} words in all",
             f"  {'words':>5}  {'whose':<20}{'by':<30}document kind"]
    for (key, by, kind), n in cnt.most_common(top):
        lines.append(f"  {n:>5}  {key:<20}{by or '-':<30}{kind}")
        if examples:
            for m in [m for m in over if (m.key, m.by, m.kind) == (key, by, kind)][:examples]:
                text = m.text if len(m.text) <= 60 else m.text[:57] + "..."
                lines.append(f"         e.g. {m.case_id} {m.file} p{m.page_index + 1}: {text!r}")
    return "\n".join(lines)
