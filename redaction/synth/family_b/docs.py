"""Family B's documents: what else a child's school file holds.

Safeguarding chronologies (a table), core group minutes (attendee table at the top of
the page, agencies and their contacts in its cells), SEN support plans, speech and
language therapy reports, home-school diaries, police (Operation Encompass)
notifications, health visitor letters, telephone contact records and children's
services letters. Each builder returns a :class:`~redaction.synth.documents.context.Built`;
a document an agency wrote has ``author`` set and ``authored`` true (its pages are
withheld whole when the agency refused).

Mentions are composed with :class:`Scribe`: ``s("Spoke to ", s.n(w, "title"), ".")``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from redaction.synth.documents.context import Built, DocMeta
from redaction.synth.family_b.paper import Sheet, sheet
from redaction.synth.family_b.people import Agency, People, Person
from redaction.synth.layout import KEEP, Run

Part = str | list[Run]


def phone_written(n: str, rng: random.Random) -> str:
    """The same number as people write it down."""
    d = "".join(ch for ch in n if ch.isdigit())
    if d.startswith("07"):
        return rng.choice(
            [f"{d[:5]} {d[5:]}", d, f"{d[:5]}-{d[5:]}", f"+44 (0){d[1:5]} {d[5:]}", f"{d[:5]} {d[5:8]} {d[8:]}"]
        )
    if len(d) == 11 and d[:3] in ("020", "024"):
        return rng.choice([f"{d[:3]} {d[3:7]} {d[7:]}", f"({d[:3]}) {d[3:]}", d])
    cut = 5 if d[:5] in ("01484", "01274", "01582") else 4
    return rng.choice([f"{d[:cut]} {d[cut:]}", f"({d[:cut]}) {d[cut:]}", f"{d[:cut]}-{d[cut:]}", d])


class Scribe:
    """Composes runs for one case: plain text, people's mentions, dates."""

    def __init__(self, people: People, rng: random.Random, long: bool = False) -> None:
        self.p, self.rng, self.long = people, rng, long
        self.seen: set[int] = set()  # peers already named in full in this document

    def __call__(self, *parts: Part) -> list[Run]:
        out: list[Run] = []
        for part in parts:
            if isinstance(part, str):
                out.append((part, KEEP))
            else:
                out.extend(part)
        return out

    def n(self, who: Person | Agency, form: str) -> list[Run]:
        if isinstance(who, Agency):
            return who.say(form)
        if form in ("mobile", "mail") and who.who in ("relative", "worker", "requester"):
            value = who.mobile if form == "mobile" else who.mail
            if form == "mobile" and value:
                return [(phone_written(value, self.rng), who.detail_tag())]
        return who.say(form, self.rng)

    # --- people as the documents refer to them -------------------------------------
    def kid(self, k: Person) -> list[Run]:
        """Another child: in full the first time in a document, then in short forms."""
        if id(k) not in self.seen:
            self.seen.add(id(k))
            return self.n(k, self.rng.choice(["name", "name", "first_init", "name"]))
        form = self.rng.choices(
            ["first", "first_init", "first_init_nodot", "initials", "initials_dots", "surname", "name"],
            [6, 3, 1, 2, 1, 2, 1],
        )[0]
        return self.n(k, form)

    def rel(self, r: Person) -> list[Run]:
        """A family member or friend, as safeguarding records write them."""
        form = self.rng.choices(
            [
                "name",
                "title",
                "title_init",
                "init_dot",
                "first",
                "surname",
                "SURNAME",
                "First SURNAME",
                "poss_first",
                "nickname",
                "pointer",
                "as_child_says",
            ],
            [4, 3, 1, 1, 3, 1, 1, 1, 1, 1 if r.known_as else 0, 4, 1 if r.child_word else 0],
        )[0]
        return self.n(r, form)

    def worker(self, w: Person) -> list[Run]:
        form = self.rng.choices(["name", "title", "first", "title_init", "init_dot", "initials"], [4, 3, 2, 1, 1, 1])[0]
        return self.n(w, form)

    def child(self) -> list[Run]:
        c = self.p.child
        return self.n(c, self.rng.choice(["first", "first", "nickname"] if c.known_as else ["first"]))

    def peer(self) -> Person:
        return self.rng.choice(self.p.peers)

    def relative(self, withheld_first: bool = True) -> Person:
        w = self.p.withheld_relatives()
        if withheld_first and w and self.rng.random() < 0.75:
            return self.rng.choice(w)
        return self.rng.choice(self.p.relatives)

    # --- dates ---------------------------------------------------------------------
    def day(self, lo: int = 10, hi: int = 240) -> dt.date:
        return self.p.received - dt.timedelta(days=self.rng.randint(lo, hi))

    def when(self, d: dt.date, style: int | None = None) -> str:
        styles = [
            f"{d.day}.{d.month}.{d.year % 100}",
            d.strftime("%d/%m/%Y"),
            d.strftime("%d-%b-%Y"),
            f"{d.day} {d.strftime('%B %Y')}",
            d.strftime("%a %d/%m"),
        ]
        return styles[self.rng.randrange(len(styles)) if style is None else style]


def _his(c: Person) -> str:
    return "his" if c.sex == "m" else "her"


def _him(c: Person) -> str:
    return "him" if c.sex == "m" else "her"


def _he(c: Person) -> str:
    return "he" if c.sex == "m" else "she"


def _parent_word(p: People) -> str:
    rel = p.requester.relation
    return "Mum" if rel == "mother" else ("Dad" if rel == "father" else "Nan")


def _header(s: Scribe) -> list[Run]:
    c = s.p.child
    return s(
        "CONFIDENTIAL  -  ",
        s.n(c, s.rng.choice(["name", "SURNAME, First", "Surname, First"])),
        f"  -  DOB {c.born.strftime('%d/%m/%Y') if c.born else ''}",
    )


def _school_footer(s: Scribe) -> list[Run]:
    return [(f"{s.p.school.name}, {s.p.school.town}", KEEP)]


def _initials(x: Person) -> list[Run]:
    return [(x.text("initials"), x.tag())]


# --- chronology --------------------------------------------------------------------


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


# --- core group minutes --------------------------------------------------------------


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

# --- SEN support plan -----------------------------------------------------------------


def sen_plan(s: Scribe) -> Built:
    p, rng = s.p, s.rng
    w = sheet(rng, _header(s), _school_footer(s), font=rng.choice(["helv", "tiro"]))
    senco = p.staff_doing("SENDCo", "Headteacher")
    ehcp = rng.random() < 0.4
    w.heading(
        "Education, Health and Care needs assessment: school advice" if ehcp else "SEN Support Plan",
        size=w.style.size + 4,
    )
    _sen_pupil(s, w, senco)
    k1 = _sen_needs(s, w)
    _sen_views(s, w, k1)
    salt = p.agency_of("salt")
    if salt:
        sw = salt.workers[0]
        w.para(
            s(
                "Advice from ",
                s.n(sw, "name"),
                f", {sw.job}, has been included (report dated ",
                s.when(s.day(), 3),
                ").",
            )
        )
    w.para(s("Review date: ", s.when(s.day(-60, -20), 1), ".  Signed: ", s.n(senco, "title_init")), gap=8)
    return Built(DocMeta("sen_plan", "sen-support-plan", "developmental", None, authored=False), w)


def _sen_pupil(s: Scribe, w: Sheet, senco: Person) -> None:
    """The pupil, who wrote the plan and the agencies involved."""
    p, rng, c = s.p, s.rng, s.p.child
    involved: list[Run] = []
    for i, a in enumerate(p.agencies):
        if i:
            involved.append((", ", KEEP))
        involved += s.n(a, rng.choice(["title", "short"]))
    w.kv(
        [
            ("Pupil", s.n(c, rng.choice(["name", "First SURNAME"]))),
            ("Known as", s.n(c, "nickname")),
            ("Date of birth", [(c.born.strftime("%d %B %Y") if c.born else "", KEEP)]),
            ("Plan written by", s.n(senco, "name") + s(", ", senco.job)),
            ("Agencies involved", involved),
        ]
    )


def _sen_needs(s: Scribe, w: Sheet) -> Person:
    """The areas of need with their outcomes and provision; returns the first peer they name."""
    p, rng = s.p, s.rng
    k1, k2, k3 = (p.peers * 3)[:3]
    needs = [
        [
            s("Communication and interaction"),
            s(s.child(), " uses 2-3 word phrases; understanding is better than talk."),
            s("To ask for help using a sentence"),
            s("Daily talk group (4 children) with ", s.kid(k1), " and ", s.kid(k2)),
        ],
        [
            s("Social, emotional and mental health"),
            s("Finds transitions hard, especially on Mondays after time with ", s.n(s.relative(), "pointer"), "."),
            s("To settle within 10 minutes"),
            s("Meet and greet; calm box"),
        ],
        [
            s("Cognition and learning"),
            s("Working within Reception expectations for number."),
            s("To count reliably to 20"),
            s("Maths intervention with ", s.kid(k3)),
        ],
    ]
    w.grid(
        ["Area of need", "What we know", "Outcome", "Provision"],
        needs,
        [0.2, 0.33, 0.2, 0.27],
        look=rng.choice(["boxed", "shaded"]),
    )
    return k1


def _sen_views(s: Scribe, w: Sheet, k1: Person) -> None:
    """The parent's and the child's views."""
    p, rng = s.p, s.rng
    w.heading("Views of the parent / carer", size=w.style.size + 1)
    r = s.relative()
    w.para(
        s(
            s.n(p.requester, rng.choice(["first", "title"])),
            " feels ",
            s.child(),
            " has been happier since ",
            s.n(r, "pointer"),
            " moved out, but still wets the bed after contact with ",
            s.n(s.relative(), "pointer"),
            ".",
        )
    )
    w.heading("Views of the child", size=w.style.size + 1)
    w.para(
        s(
            "'I like the sand tray and playing with ",
            s.n(k1, "first"),
            ". I don't like it when ",
            s.n(r, "as_child_says"),
            " is loud.'",
        )
    )

# --- agency-written documents ---------------------------------------------------------


def _agency_head(w: Sheet, s: Scribe, a: Agency) -> None:
    lines = [
        s.n(a, "street"),
        s(a.office.lines[1], " ") + s.n(a, "postcode"),
        s("Tel: ") + [(phone_written(a.switchboard, s.rng), a.tag())],
    ]
    if s.rng.random() < 0.6:
        lines.append(s.n(a, "inbox"))
    w.letterhead(
        s.n(a, s.rng.choice(["title", "title", "TITLE"])), lines, s.rng.choice(["right", "centre", "boxed", "band"])
    )


def _sign(w: Sheet, s: Scribe, x: Person) -> None:
    w.para(s(s.rng.choice(["Yours sincerely,", "Kind regards,", "With best wishes,"])), gap=0)
    w.signature()
    w.para(s.n(x, "name"), bold=True, gap=0)
    w.para(s(x.job), gap=0)
    w.para(s("Direct line: ", s.n(x, "mobile"), "   Email: ", s.n(x, "mail")), size=w.style.size - 1, gap=6)


def salt_report(s: Scribe) -> Built:
    p, rng, c = s.p, s.rng, s.p.child
    a = p.agency_of("salt")
    assert a is not None
    x = a.workers[0]
    w = sheet(rng, None, None)
    _agency_head(w, s, a)
    w.heading("Speech and Language Therapy Report", size=w.style.size + 3)
    w.kv(
        [
            ("Name", s.n(c, rng.choice(["SURNAME, First", "name"]))),
            ("Date of birth", [(c.born.strftime("%d/%m/%Y") if c.born else "", KEEP)]),
            ("NHS number", [(f"{rng.randint(400, 499)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}", KEEP)]),
            ("Setting", s(p.school.name)),
            ("Seen by", s.n(x, "name") + s(f", {x.job}")),
        ],
        label_w=120,
    )
    w.heading("Assessment", size=w.style.size + 1)
    rows = [
        [s(t), s(str(rng.randint(70, 104))), s(str(rng.randint(2, 60)))]
        for t in ("Understanding spoken paragraphs", "Word classes", "Formulated sentences", "Recalling sentences")
    ]
    w.grid(["Subtest", "Standard score", "Percentile"], rows, [0.5, 0.25, 0.25], look=rng.choice(["open", "boxed"]))
    _salt_observation(s, w)
    w.heading("Recommendations", size=w.style.size + 1)
    for t in (
        "Use visual timetables and now/next boards.",
        "Model short sentences; add one word.",
        "Review in one term by the service.",
    ):
        w.para(s("- " + t), x=w.left + 10, gap=1)
    w.space(8)
    _sign(w, s, x)
    return Built(DocMeta("salt_report", "speech-language-report", "developmental", a.pid, authored=True), w)


def _salt_observation(s: Scribe, w: Sheet) -> None:
    """What the therapist saw in class, and what the parent said."""
    p, c = s.p, s.p.child
    k = s.peer()
    w.heading("Observation", size=w.style.size + 1)
    w.para(
        s(
            "I observed ",
            s.child(),
            " in the classroom. ",
            s.kid(k),
            f" and {_he(c)} played alongside each other in the role play area; ",
            s.kid(k),
            " did most of the talking. ",
            s.child(),
            " used gesture to ask ",
            s.kid(s.peer()),
            " for a turn.",
        )
    )
    w.para(
        s(
            s.n(p.requester, "title"),
            " told me that at home ",
            s.child(),
            " talks more with ",
            s.n(s.relative(), "as_child_says"),
            " than with anyone else.",
        )
    )

def hv_letter(s: Scribe) -> Built:
    p, rng, c = s.p, s.rng, s.p.child
    a = p.agency_of("health")
    assert a is not None
    x = a.workers[0]
    w = sheet(rng, None, None)
    _agency_head(w, s, a)
    req = p.requester
    w.para(s.n(req, "name"), gap=0)
    for ln in req.home.lines if req.home else ():
        w.para(s(ln), gap=0)
    w.space(10)
    w.para(s(s.when(s.day(5, 90), 3)), gap=8)
    w.para(s("Dear ", s.n(req, "title"), ","), gap=6)
    r = next((r for r in p.relatives if "partner" in r.relation), s.relative())
    w.para(
        s(
            f"Thank you for seeing me at home on {s.when(s.day(), 4)} for {c.given}'s review. ",
            [("Your partner", r.pointer_tag())] if "partner" in r.relation else s.n(r, "Pointer"),
            " was also present for part of the visit.",
        )
    )
    w.para(
        s(
            "As discussed, ",
            s.child(),
            f"'s weight is on the 25th centile and {_his(c)} development is within the "
            "expected range. I have shared my concerns about the sleeping arrangements with ",
            s.n(r, "first"),
            " and with you.",
        )
    )
    w.para(
        s(
            "I have let the nursery know that ",
            s.child(),
            " and ",
            s.n(p.sibling or s.peer(), "first"),
            " will be seen again at the next clinic. Please ring the duty line if anything changes.",
        )
    )
    _sign(w, s, x)
    return Built(DocMeta("hv_letter", "health-visitor-letter", "personal", a.pid, authored=True), w)


def police_notice(s: Scribe) -> Built:
    p, rng, c = s.p, s.rng, s.p.child
    a = p.agency_of("police")
    assert a is not None
    x = a.workers[0]
    w = sheet(rng, None, None, font=rng.choice(["helv", "cour"]))
    w.letterhead(
        s.n(a, "TITLE"),
        [s("Operation Encompass - Notification to School"), s("Tel ") + [(phone_written(a.switchboard, rng), a.tag())]],
        rng.choice(["band", "centre"]),
    )
    w.stamp("OFFICIAL - SENSITIVE")
    r = s.relative()
    present: list[Run] = s.n(c, "SURNAME, First")
    if p.sibling:
        present += s("; ") + s.n(p.sibling, "SURNAME, First")
    w.kv(
        [
            ("Incident date/time", s(f"{s.when(s.day(3, 80), 1)} 23:{rng.randint(10, 59)}")),
            ("Occurrence no.", s(f"{rng.randint(10, 13)}{rng.randint(100000, 999999)}")),
            ("Address", s.n(p.child, "home") if p.child.home else s("-")),
            (
                "Adults involved",
                s.n(r, "SURNAME, First")
                + s(" (", s.n(r, "relation"), "); ")
                + s.n(p.requester, "SURNAME, First")
                + s(f" ({p.requester.relation.split(' ')[0]})"),
            ),
            ("Children present", present),
            ("Reporting officer", s.n(x, "title") + s(" ") + s(f"{rng.randint(1000, 9999)}")),
        ],
        label_w=130,
    )
    w.heading("Summary for the school", size=w.style.size + 1)
    w.para(
        s(
            "Police attended following a call from a neighbour. ",
            s.n(r, rng.choice(["SURNAME", "surname", "title"])),
            " had left before officers arrived. ",
            s.child(),
            f" was in bed and did not witness the incident, per {_his(c)} ",
            p.requester.relation.split(" ")[0],
            ".",
        )
    )
    w.para(
        s(
            "This notification is shared so that the school can offer support. Please do not share it with the "
            "family. Queries to ",
            s.n(x, "mail"),
            ".",
        )
    )
    return Built(DocMeta("police_notice", "police-notification", "personal", a.pid, authored=True), w)


def services_letter(s: Scribe) -> Built:
    p, rng, c = s.p, s.rng, s.p.child
    a = rng.choice([ag for ag in p.agencies if ag.kind in ("social_care", "eps", "womens_aid")])
    x = rng.choice(a.workers)
    w = sheet(rng, None, None)
    _agency_head(w, s, a)
    dsl = p.staff_doing("Designated Safeguarding Lead")
    w.para(s("Private and confidential"), bold=True, gap=4)
    w.para(s.n(dsl, "title_init") + s(", ", dsl.job), gap=0)
    w.para(s(p.school.name), gap=10)
    w.para(s("Re: ", s.n(c, rng.choice(["name", "SURNAME First"]))), bold=True, gap=6)
    r = s.relative()
    w.para(
        s(
            f"I am writing to let you know the outcome of our work with {c.given}'s family. We met ",
            s.n(p.requester, "title"),
            " and ",
            s.n(r, rng.choice(["title", "name", "SURNAME"])),
            " separately. ",
            s.n(r, "Pointer"),
            " has agreed to a written plan.",
        )
    )
    w.para(
        s(
            "We would ask the school to continue to let us know of any concerns, including anything ",
            s.child(),
            " says about ",
            s.n(r, "as_child_says" if r.child_word else "first"),
            " or about ",
            s.n(s.relative(), "pointer"),
            ".",
        )
    )
    _sign(w, s, x)
    return Built(DocMeta("services_letter", "agency-letter", "personal", a.pid, authored=True), w)


# --- written in school ---------------------------------------------------------------


def diary(s: Scribe) -> Built:
    p, rng, c = s.p, s.rng, s.p.child
    w = sheet(rng, None, None, font=rng.choice(["coit", "heit", "tiit"]), size=rng.choice([10.5, 11.0]))
    w.para(s("Home - School Diary"), size=w.style.size + 5, bold=True, gap=0, align="center")
    w.para(s.n(c, rng.choice(["first", "nickname"])) + s("'s book"), align="center", gap=10)
    teacher = p.staff_doing("Reception Teacher", "Year 1 Teacher", "Teaching Assistant", "Nursery Practitioner")
    home = _parent_word(p)

    def home_entry() -> list[Run]:
        r, q = s.relative(), s.relative(False)
        choices: list[Callable[[], list[Run]]] = (
            [
                lambda: s(
                    s.child(),
                    " slept badly, ",
                    s.n(r, "pointer"),
                    " came round late and there was shouting. Sorry ",
                    f"{_he(c)} is tired.",
                ),
                lambda: s(
                    s.n(q, "as_child_says"),
                    f" is picking {_him(c)} up on Friday, ",
                    s.n(q, "first"),
                    " is on the list.",
                ),
                lambda: s(s.n(r, "Pointer"), f" is having {_him(c)} this weekend so no reading book till Monday."),
                lambda: s("Can ", s.child(), " sit away from ", s.kid(s.peer()), "? They keep falling out."),
                lambda: s(s.child(), " went to ", s.kid(s.peer()), "'s party, had a lovely time."),
            ]
        )
        return rng.choice(choices)()

    def school_entry() -> list[Run]:
        k1, k2 = rng.sample(p.peers, 2)
        choices: list[Callable[[], list[Run]]] = (
            [
                lambda: s(
                    "Lovely day! ", s.child(), " played with ", s.kid(k1), " and ", s.kid(k2), " in the mud kitchen."
                ),
                lambda: s("A bit teary after lunch. ", s.kid(k1), f" helped {_him(c)} find {_his(c)} coat."),
                lambda: s(s.child(), " told me ", s.n(s.relative(), "pointer"), " bought a new puppy!"),
                lambda: s("Reading: 'Owl Babies' with ", s.kid(k1), ". Great listening."),
            ]
        )
        return rng.choice(choices)()

    for _ in range(rng.randint(5, 8) + (4 if s.long else 0)):
        d = s.day(1, 120)
        if rng.random() < 0.5:
            w.entry(s.when(d, 4), s(home), home_entry())
        else:
            w.entry(s.when(d, 4), s.n(teacher, rng.choice(["title", "first"])), school_entry())
    return Built(DocMeta("diary", "home-school-diary", "personal", None, authored=False), w)


def phone_log(s: Scribe) -> Built:
    p, rng = s.p, s.rng
    w = sheet(rng, _header(s), _school_footer(s), font=rng.choice(["helv", "heit"]))
    w.heading("Record of telephone contact", size=w.style.size + 3)
    office = p.staff_doing("Pastoral Lead", "Learning Mentor", "Designated Safeguarding Lead")
    rows = []
    callers: list[Person] = [*p.relatives, *(x for a in p.agencies for x in a.workers), p.requester]
    for _ in range(rng.randint(5, 8)):
        x = rng.choice(callers)
        d = s.day(2, 200)
        if x.who == "worker":
            rel = s.n(x.agency, "short") if x.agency else s("-")
            said = s(
                "Asked for an update for the ",
                rng.choice(["review", "strategy meeting", "assessment"]),
                ". Follow up by email to ",
                s.n(x, "mail"),
            )
        elif x.who == "requester":
            rel = s(x.relation.split(" ")[0].capitalize())
            said = s("Reported ", s.child(), " unwell. Also mentioned ", s.n(s.relative(), "pointer"), " is back.")
        else:
            rel = s.n(x, "relation")
            said = s(
                "Asked how ", s.child(), " is getting on. Told we can only speak to ", s.n(p.requester, "first"), "."
            )
        number = s.n(x, "mobile") if x.mobile else s("withheld")
        rows.append(
            [
                s(s.when(d, 0)),
                s.n(x, rng.choice(["name", "title", "SURNAME, First"])),
                number,
                rel,
                said,
                _initials(office),
            ]
        )
    rows.sort(key=lambda r: r[0][0][0])
    w.grid(
        ["Date", "Caller", "Number", "Relationship / agency", "Summary", "Taken by"],
        rows,
        [0.1, 0.17, 0.17, 0.15, 0.34, 0.07],
        look=rng.choice(["boxed", "shaded", "open"]),
        size=w.style.size - 1.5,
    )
    return Built(DocMeta("phone_log", "telephone-contact-record", "personal", None, authored=False), w)


BUILDERS: dict[str, Callable[[Scribe], Built]] = {
    "chronology": chronology,
    "core_group": core_group,
    "sen_plan": sen_plan,
    "salt_report": salt_report,
    "hv_letter": hv_letter,
    "police_notice": police_notice,
    "services_letter": services_letter,
    "diary": diary,
    "phone_log": phone_log,
}

# the agency a kind of document needs (its writer)
NEEDS: dict[str, str] = {"salt_report": "salt", "hv_letter": "health", "police_notice": "police"}
ORDER = list(BUILDERS)
