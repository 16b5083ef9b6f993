"""Made-up names for training: a character model of the kept name pools.

The synth pools hold a few hundred names. A model trained only on them learns the names
themselves ("Okafor is a person") more than the places where names stand. Training casts
may swap some names for new ones drawn from an order-2 character Markov chain of the
*kept* pool names (never a held-out name, never a word of the pools' other kind), so
the model must read the context and the word's shape. Dev sets keep real pool names.
"""

from __future__ import annotations

import random
from collections import defaultdict
from functools import lru_cache

from redaction.synth.names import COMMUNITIES, NICKNAMES

_START, _END = "^^", "$"


def _chain(words: list[str]) -> dict[str, list[str]]:
    nxt: dict[str, list[str]] = defaultdict(list)
    for w in words:
        s = _START + w + _END
        for i in range(len(s) - 2):
            nxt[s[i : i + 2]].append(s[i + 2])
    return {k: sorted(v) for k, v in nxt.items()}


@lru_cache(maxsize=4)
def _model(kind: str) -> tuple[dict[str, list[str]], frozenset[str]]:
    from ner_models.cast import held_out

    if kind == "first":
        words = [n for c in COMMUNITIES for n in (*c.male, *c.female)]
    else:
        words = [p for c in COMMUNITIES for n in c.surnames for p in n.split("-")]
    every = {p for c in COMMUNITIES for n in (*c.male, *c.female, *c.surnames) for p in n.split("-")}
    every |= set(NICKNAMES.values())
    kept = sorted({w for w in words if not held_out(w)})
    return _chain(kept), frozenset(every)


def pseudo_name(rng: random.Random, kind: str) -> str:
    """A new name-like word (``kind`` "first" or "last") not in any pool."""
    chain, pools = _model(kind)
    for _ in range(100):
        out = _START
        while len(out) < 16:
            ch = rng.choice(chain[out[-2:]])
            if ch == _END:
                break
            out += ch
        name = out[2:]
        if (3 <= len(name) <= 12 and name not in pools and name[0].isupper()
                and name.replace("'", "").isalpha() and name.count("'") <= 1):
            return name
    raise RuntimeError(f"no new {kind} name in 100 draws")  # never seen: the chains are rich
