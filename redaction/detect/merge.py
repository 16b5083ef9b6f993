"""Merge the detectors' proposals: one proposal per redaction, strongest first.

On a page, a proposal whose boxes all lie inside a stronger proposal's boxes (the same
words found twice: "Daniel" by the manifest and by Presidio) is folded into it and its
explanation added. Proposals that only partly overlap are both kept (overlapping
redactions are harmless; dropping one could leave words readable). Whole-page
proposals are kept apart from word proposals (the reviewer may reject one and accept
the other). The result is sorted by page, then top-to-bottom, left-to-right.
"""

from __future__ import annotations

from dataclasses import replace

from redaction.models import Box, ProposalDraft

_TOL = 1.5  # points


def _inside(a: Box, b: Box) -> bool:
    return a.x0 >= b.x0 - _TOL and a.y0 >= b.y0 - _TOL and a.x1 <= b.x1 + _TOL and a.y1 <= b.y1 + _TOL


def covered_by(weak: ProposalDraft, strong: ProposalDraft) -> bool:
    """Every box of ``weak`` lies inside some box of ``strong`` (same page)."""
    if weak.page_index != strong.page_index or weak.whole_page != strong.whole_page:
        return False
    return bool(weak.boxes) and all(any(_inside(w, s) for s in strong.boxes) for w in weak.boxes)


def _union_explanations(a: str, b: str) -> str:
    parts = [p for p in a.split("; ") if p]
    for p in b.split("; "):
        if p and p not in parts:
            parts.append(p)
    return "; ".join(parts)


def _position(p: ProposalDraft) -> tuple[int, int, float, float]:
    b = p.boxes[0] if p.boxes else Box(0, 0, 0, 0)
    return (p.page_index, 0 if p.whole_page else 1, round(b.y0, 1), round(b.x0, 1))


def merge(drafts: list[ProposalDraft]) -> list[ProposalDraft]:
    """De-duplicate overlapping proposals (keep the strongest, union explanations)
    and sort by page then position."""
    by_strength = sorted(
        drafts, key=lambda d: (-d.score, -sum(b.width * b.height for b in d.boxes), d.detector)
    )
    kept: list[ProposalDraft] = []
    for d in by_strength:
        for i, k in enumerate(kept):
            if covered_by(d, k):
                union = _union_explanations(k.explanation, d.explanation)
                kept[i] = replace(k, explanation=union, rule=k.rule if union == k.explanation else "")
                break
        else:
            kept.append(d)
    return sorted(kept, key=_position)
