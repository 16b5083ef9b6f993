"""Family B's safeguarding chronology: significant events in date order, in a table."""

from __future__ import annotations

from collections.abc import Callable

from redaction.synth.documents.context import Built, DocMeta
from redaction.synth.family_b.paper import sheet
from redaction.synth.family_b.scribe import Scribe, _he, _header, _him, _initials, _parent_word, _school_footer
from redaction.synth.layout import KEEP, Run

_Event = Callable[[], tuple[list[Run], list[Run]]]  # an event of the chronology: (what happened, what was done)


def _chron_events(s: Scribe) -> list[_Event]:
    return _chron_events_1(s) + _chron_events_2(s)


def _chron_events_1(s: Scribe) -> list[_Event]:
    p, c = s.p, s.p.child
    sc = p.agency_of("social_care")
    assert sc is not None
    mum = _parent_word(p)

    def ev1() -> tuple[list[Run], list[Run]]:
        r = s.relative()
        return (
            s(s.child(), " arrived tearful. Said ", s.rel(r), f" was 'shouting at {mum}' until late."),
            s(f"{_he(c).capitalize()} was spoken to by the class teacher"),
        )

    def ev2() -> tuple[list[Run], list[Run]]:
        w = s.rng.choice(sc.workers)
        return (
            s("Call from ", s.n(w, "title_init"), f" ({w.job}, ", s.n(sc, "short"), ") re strategy discussion."),
            s("Agreed to share attendance figures. Ref ", f"{s.rng.randint(100000, 999999)}"),
        )

    def ev3() -> tuple[list[Run], list[Run]]:
        k = s.peer()
        return (
            s(
                "Incident at lunch: ",
                s.kid(k),
                " and ",
                s.child(),
                " fell out over a football; ",
                s.kid(k),
                f" pushed {_him(c)}.",
            ),
            s("Both spoken to. Parents of the other child informed by phone."),
        )

    def ev4() -> tuple[list[Run], list[Run]]:
        r = s.relative()
        return (
            s(
                f"{mum} reported that ",
                s.n(r, s.rng.choice(["SURNAME", "title", "name", "pointer"])),
                " has been staying at the family home again.",
            ),
            s("DSL informed. Logged."),
        )

    def ev5() -> tuple[list[Run], list[Run]]:
        r = s.relative()
        return (
            s(s.n(c, "first"), " disclosed to a TA that ", s.n(r, "pointer"), f" 'smacks {_him(c)} with a slipper'."),
            s("Referral to ", s.n(sc, s.rng.choice(["title", "short"])), " the same day."),
        )

    return [ev1, ev2, ev3, ev4, ev5]


def _chron_events_2(s: Scribe) -> list[_Event]:
    p, c = s.p, s.p.child
    sc = p.agency_of("social_care")
    assert sc is not None
    mum = _parent_word(p)

    def ev6() -> tuple[list[Run], list[Run]]:
        k1, k2 = s.rng.sample(p.peers, 2)
        return (
            s(
                "Playground: ",
                s.child(),
                " played with ",
                s.kid(k1),
                " and ",
                s.kid(k2),
                f" all lunchtime - first time {_he(c)} has joined in.",
            ),
            s("Positive - noted for the core group."),
        )

    def ev7() -> tuple[list[Run], list[Run]]:
        r = s.relative()
        return (
            s(s.rel(r), " arrived at the gate at 3.15 asking to collect ", s.child(), ". Not on the list."),
            s(f"Not released. {mum} phoned; ", s.n(r, "first"), " left at 3.40."),
        )

    def ev8() -> tuple[list[Run], list[Run]]:
        w = s.rng.choice(sc.workers)
        return (
            s("Email received from ", s.n(w, "mail"), " with the child protection plan attached."),
            s("Saved to the file; copy to ", s.n(p.staff_doing("Designated Safeguarding Lead"), "title"), "."),
        )

    def ev9() -> tuple[list[Run], list[Run]]:
        k = s.peer()
        return (
            s(
                s.kid(k),
                f" told staff that {c.given} had said ",
                s.n(s.relative(), "pointer"),
                " 'lives in our house now'.",
            ),
            s("Recorded verbatim."),
        )

    def ev10() -> tuple[list[Run], list[Run]]:
        a = s.rng.choice(p.agencies)
        w = s.rng.choice(a.workers)
        return (
            s("Home visit by ", s.n(w, "name"), " (", s.n(a, "title"), ")."),
            s("Outcome to follow. Contact: ", s.n(w, "mobile")),
        )

    return [ev6, ev7, ev8, ev9, ev10]

def chronology(s: Scribe) -> Built:
    p, rng = s.p, s.rng
    w = sheet(rng, _header(s), _school_footer(s))
    w.heading(f"{p.school.name}", size=w.style.size + 3, gap=2)
    w.para(s("Safeguarding chronology - ", s.n(p.child, rng.choice(["name", "SURNAME First"]))), bold=True, gap=8)
    w.para(s("Significant events in date order. Entries are brief; see the concern forms for detail."), gap=8)
    events = _chron_events(s)
    n = rng.randint(8, 12) + (6 if s.long else 0)
    dates = sorted({s.day(5, 300) for _ in range(n)})
    staff_initials = [x for x in p.staff]
    rows = []
    for d in dates:
        event, action = rng.choice(events)()
        source = rng.choice(
            [
                [(rng.choice(["Mum", "Class teacher", "DSL", "Child", "Office"]), KEEP)],
                s.n(rng.choice(p.agencies), "short"),
            ]
        )
        who = _initials(rng.choice(staff_initials))
        rows.append([[(s.when(d, 0 if rng.random() < 0.7 else 1), KEEP)], event, source, action, who])
    look = rng.choice(["shaded", "boxed", "open"])
    w.grid(
        ["Date", "Event / information", "Source", "Action / outcome", "By"],
        rows,
        [0.11, 0.38, 0.14, 0.29, 0.08],
        look=look,
    )
    w.para(s("Chronology maintained by ", s.n(p.staff_doing("Designated Safeguarding Lead"), "name"), "."), gap=4)
    return Built(DocMeta("chronology", "safeguarding-chronology", "personal", None, authored=False), w)
