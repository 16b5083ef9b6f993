"""Family B's core group minutes: the attendee table at the top of the page, the updates, the actions."""

from __future__ import annotations

from redaction.synth.documents.context import Built, DocMeta
from redaction.synth.family_b.paper import Sheet, sheet
from redaction.synth.family_b.people import Agency, Person
from redaction.synth.family_b.scribe import Scribe, _him, _his, _initials, _school_footer, phone_written
from redaction.synth.layout import KEEP, Run


def core_group(s: Scribe) -> Built:
    p, rng, c = s.p, s.rng, s.p.child
    w = sheet(rng, None, _school_footer(s))
    sc = p.agency_of("social_care")
    assert sc is not None
    dsl = p.staff_doing("Designated Safeguarding Lead")
    teacher = p.staff_doing("Reception Teacher", "Year 1 Teacher", "Nursery Practitioner", "Teaching Assistant")
    # the attendee list comes first: agencies' names and contacts near the top of the page
    w.para(
        s(rng.choice(["Core Group Meeting", "Child Protection Core Group", "Team Around the Child meeting"])),
        size=w.style.size + 3,
        bold=True,
        gap=2,
    )
    w.para(s("Re: ", s.n(c, "name"), f"   Date: {s.when(s.day(5, 60), 3)}   Venue: {p.school.name}"), gap=6)
    _attendees(s, w, dsl, teacher)
    items, r, wk = _core_group_items(s, sc, teacher)
    for i, (head, body) in enumerate(items, start=1):
        w.para(s(f"{i}. ", head), bold=True, gap=1)
        w.para(body, x=w.left + 12, gap=6)
    acts = [
        [s("Complete direct work"), s.n(wk, rng.choice(["initials", "first", "title"])), s("before review")],
        [s("Share attendance weekly"), _initials(dsl), s("Fridays")],
        [
            s("Invite ", s.n(r, rng.choice(["title", "first"])), " to the next meeting"),
            s.n(sc, "short"),
            s(s.when(s.day(-30, -5), 1)),
        ],
    ]
    w.heading("Actions", size=w.style.size + 1)
    w.grid(["Action", "Who", "When"], acts, [0.55, 0.25, 0.2], look="open")
    return Built(DocMeta("core_group", "core-group-minutes", "personal", None, authored=False), w)


def _attendees(s: Scribe, w: Sheet, dsl: Person, teacher: Person) -> None:
    """Who was at the core group (names, roles, agencies, contacts), and who was not."""
    p, rng = s.p, s.rng
    rows: list[list[list[Run]]] = [
        [s.n(dsl, "name"), s("DSL (chair)"), s(p.school.name), [(phone_written(p.school.phone, rng), KEEP)]],
        [
            s.n(p.requester, "name"),
            s(p.requester.relation.split(" ")[0].capitalize()),
            s("-"),
            s.n(p.requester, "mobile"),
        ],
    ]
    for a in p.agencies:
        for x in a.workers[: rng.randint(1, len(a.workers))]:
            contact = s.n(x, "mail") if rng.random() < 0.5 else s.n(x, "mobile")
            rows.append(
                [s.n(x, rng.choice(["name", "title_init"])), s(x.job), s.n(a, rng.choice(["title", "short"])), contact]
            )
    rows.append([s.n(teacher, "name"), s(teacher.job), s(p.school.name), s("via school office")])
    rng.shuffle(rows)
    w.grid(["Name", "Role", "Agency", "Contact"], rows, [0.22, 0.18, 0.27, 0.33], look=rng.choice(["shaded", "boxed"]))
    absent = [r for r in p.relatives if r.relation in ("father", "mother", "mother's partner", "father's partner")]
    if absent:
        r = absent[0]
        w.para(
            s(
                "Not present: ",
                s.n(r, rng.choice(["name", "title", "SURNAME, First"])),
                " (",
                s.n(r, "relation"),
                ") - invited, did not attend.",
            ),
            gap=8,
        )


_Item = tuple[str | list[Run], list[Run]]  # a minutes' item: its heading and its text


def _core_group_items(s: Scribe, sc: Agency, teacher: Person) -> tuple[list[_Item], Person, Person]:
    """The minutes' items; with the relative and the social worker they name (the actions name them too)."""
    p = s.p
    items, r, wk = _core_group_updates(s, sc, teacher)
    if len(p.agencies) > 1:
        a = p.agencies[1]
        items.append(
            (
                s.n(a, "title") if len(a.title) < 40 else (s.n(a, "short") if a.short else "Health"),
                s(
                    s.worker(a.workers[0]),
                    " gave an update: ",
                    s.child(),
                    " was seen on ",
                    s.when(s.day(), 3),
                    ". No new concerns; next contact booked.",
                ),
            )
        )
    items.append(
        (
            "Risks",
            s(
                "Contact between ",
                s.child(),
                " and ",
                s.rel(r),
                " to be supervised. ",
                s.n(r, "poss_first"),
                " phone number is not to be given out by school.",
            ),
        )
    )
    return items, r, wk


def _core_group_updates(s: Scribe, sc: Agency, teacher: Person) -> tuple[list[_Item], Person, Person]:
    """The updates from the family, children's services and school."""
    p, rng, c = s.p, s.rng, s.p.child
    items: list[_Item] = []
    r = s.relative()
    items.append(
        (
            "Update from the family",
            s(
                s.n(p.requester, "first"),
                " said things at home are calmer. ",
                s.n(r, "Pointer"),
                " is not living at the address but visits at weekends. ",
                s.child(),
                f" sees {_his(c)} ",
                s.n(s.relative(False), "as_child_says"),
                " most Sundays.",
            ),
        )
    )
    wk = rng.choice(sc.workers)
    items.append(
        (
            "Children's services",
            s(
                s.n(wk, "first"),
                " has seen ",
                s.child(),
                " twice alone since the last meeting. ",
                s.n(wk, "title"),
                " will complete the direct work sessions before the review conference.",
            ),
        )
    )
    k1, k2 = rng.sample(p.peers, 2)
    items.append(
        (
            "School",
            s(
                s.n(teacher, "title"),
                " reported that ",
                s.child(),
                " is settled in class and in a small group with ",
                s.kid(k1),
                " and ",
                s.kid(k2),
                ". Attendance 91%. ",
                s.kid(k1),
                f" is a good friend to {_him(c)}.",
            ),
        )
    )
    return items, r, wk
