"""What family B's agencies write: therapy reports, health visitor and services letters, police notices."""

from __future__ import annotations

from redaction.synth.documents.context import Built, DocMeta
from redaction.synth.family_b.paper import Sheet, sheet
from redaction.synth.family_b.people import Agency, Person
from redaction.synth.family_b.scribe import Scribe, _he, _his, phone_written
from redaction.synth.layout import KEEP, Run


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
