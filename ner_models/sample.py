"""One training or evaluation text with its entity spans (character offsets).

``ents`` are the labelled spans (PERSON from the generator; ORG from the generator;
other labels replayed from the shipped model's own predictions). ``ignore`` are spans
whose annotation is *missing* on purpose (a person's initials, "DP"): the model is
neither rewarded nor punished there, and evaluation does not count words inside them.
"""

from __future__ import annotations

from dataclasses import dataclass

Ent = tuple[int, int, str]  # (start, end, label), end exclusive


@dataclass(frozen=True)
class Sample:
    text: str
    ents: tuple[Ent, ...] = ()
    ignore: tuple[tuple[int, int], ...] = ()
    source: str = ""  # which generator made it ("doc:concern_log", "note"), for reports

    def boundaries(self) -> set[int]:
        """Every offset where a labelled or ignored span starts or ends."""
        out: set[int] = set()
        for s, e, _ in self.ents:
            out.update((s, e))
        for s, e in self.ignore:
            out.update((s, e))
        return out

    def covered(self) -> list[tuple[int, int]]:
        """All labelled and ignored spans, as (start, end)."""
        return [(s, e) for s, e, _ in self.ents] + list(self.ignore)

    def persons(self) -> list[tuple[int, int]]:
        return [(s, e) for s, e, lab in self.ents if lab == "PERSON"]
