"""What family B's school writes: SEN support plans, home-school diaries and telephone contact records."""

from __future__ import annotations

from collections.abc import Callable

from redaction.synth.documents.context import Built, DocMeta
from redaction.synth.family_b.paper import Sheet, sheet
from redaction.synth.family_b.people import Person
from redaction.synth.family_b.scribe import Scribe, _he, _header, _him, _his, _initials, _parent_word, _school_footer
from redaction.synth.layout import KEEP, Run


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
