"""The dev family's correspondence: an agency's letter to the school and a printed e-mail."""

from __future__ import annotations

import datetime as dt

from redaction.synth.cast import Actor, Org
from redaction.synth.documents.context import Built, Ctx, DocMeta, _addressed, _writer
from redaction.synth.layout import KEEP, Run


def agency_letter(ctx: Ctx, org: Org | None = None) -> Built:
    c, rng = ctx.cast, ctx.rng
    org = org or ctx.o
    worker = org.staff[0]

    def f(t: str, **extra: Actor | Org) -> list[Run]:
        return ctx.fmt(t, **{"o": org, "w": worker, **extra})

    w = _writer(ctx, font=rng.choice(["tiro", "helv"]), footer=False)
    w.para(f("{o.NAME}"), size=15, bold=True, gap=1, align="right")
    w.para(f("{o.addr}"), size=8.5, gap=0, align="right")
    w.para(f("Tel: {o.phone}   Email: {o.email}"), size=8.5, gap=2, align="right")
    w.rule(width=1.2)
    sent = ctx.date(10, 150)
    w.para([(ctx.datestr(sent), KEEP)], gap=10)
    w.para(ctx.fmt("{h.tfull}"), gap=0)
    w.para([("Headteacher", KEEP)], gap=0)
    w.para([(c.school.name, KEEP)], gap=0)
    w.para([(c.school.address.one_line, KEEP)], gap=12)
    w.para(ctx.fmt("Dear {h.title},"), gap=8)
    w.para(ctx.fmt("Re: {c.full} (date of birth {c.dob})"), bold=True, gap=8)
    body = _letter_paragraphs(ctx.long)
    kind = {"health visiting": "developmental review", "CAMHS": "appointment", "police": "visit"}.get(
        org.service, "home visit"
    )
    for para in body:
        text = (
            para.replace("{kind}", kind)
            .replace("{d}", ctx.datestr(sent - dt.timedelta(days=rng.randint(5, 40))))
            .replace("a {plan}", rng.choice(["a Child in Need plan", "an Early Help plan", "a safety plan"]))
            .replace("{r.rel0}", "mother" if c.requester.relationship == "mother" else "father")
        )
        w.para(f(text), gap=7)
    w.para([("Yours sincerely,", KEEP)], gap=0)
    w.signature()
    w.para(f("{w.full}"), bold=True, gap=0)
    w.para(f("{w.role}, {o.name}"), gap=0)
    w.para(f("Direct line: {w.phone}"), gap=0)
    w.para(f("{w.email}"), gap=0)
    return Built(DocMeta("agency_letter", f"{org.service.split()[0].lower()}-letter", "personal", org.party_id), w)


def _letter_paragraphs(long: bool) -> list[str]:
    """The agency letter's paragraphs (templates), the background one only in a long file."""
    body = [
        "I am writing following my {kind} with {c.first} and {c.his} {r.rel0} on {d}. I am the allocated"
        " {w.role} from {o.name}.",
        "{c.first} presented as a lively and articulate {c.boy}. {c.He} spoke warmly about {c.his} mother and"
        " about {k1.first}, a friend from class. {c.He} told me that {p.rel} sometimes looks after {c.him}"
        " and that"
        ' {p.alias} "gets angry". {p.first} declined to meet with me.',
        "Following our assessment, {o.any} will continue to work with the family under a {plan}. I would be"
        " grateful if school could share any concerns with me directly on {w.phone} or by email to"
        " {w.email}.",
        *(
            [
                "Background: {r.first} has told me that {p.first} moved into the family home last year."
                " {x.Rel} ({x.full}) helps with school collections. {c.first} is reported to sleep poorly"
                " and to wet the bed"
                " after contact with {p.alias}. I have shared my assessment with {o2.any}."
            ]
            if long
            else []
        ),
        "Please note that this letter contains information provided by {o.name} and should not be disclosed"
        " without our agreement.",
    ]
    return body

def email_printout(ctx: Ctx) -> Built:
    c, rng = ctx.cast, ctx.rng
    org = ctx.o2 if rng.random() < 0.5 else ctx.o
    worker = org.staff[-1]
    staff = ctx.cast.dsl
    from_agency = rng.random() < 0.6

    def f(t: str, **extra: Actor | Org) -> list[Run]:
        return ctx.fmt(t, **{"o": org, "w": worker, **extra})

    w = _writer(ctx, font=rng.choice(["helv", "cour"]), size=9.5, footer=False)
    when = ctx.date(5, 90)
    subj = rng.choice(["RE: {c.first} {c.LAST} - update", "RE: Concern re {c.first}", "Fw: home visit {c.initials}"])
    w.para([(f"{staff.full}", staff.name_tag())], bold=True, gap=2)
    w.rule(width=1.5, gap=3)
    sender, to = (worker, staff) if from_agency else (staff, worker)
    w.field("From:", _addressed(ctx, sender), label_w=60)
    w.field(
        "Sent:",
        [(when.strftime("%A, %d %B %Y ") + f"{rng.randint(8, 17)}:{rng.randint(10, 59)}", KEEP)],
        label_w=60,
    )
    w.field("To:", _addressed(ctx, to), label_w=60)
    w.field("Subject:", f(subj), label_w=60)
    w.space(8)
    if from_agency:
        body = [
            "Dear {s.first},",
            "Thank you for your call. I visited the family on {d} and saw {c.first} with {r.title}. {q.Rel}"
            " ({q.first}) was also present. I have concerns about {p.poss} contact with {c.first} and have"
            " asked"
            " that it is supervised.",
            "Could you let me know if {p.alias} is seen collecting from school? My mobile is {w.phone}.",
            "Kind regards,",
        ]
    else:
        body = [
            "Dear {w.first},",
            "Just to update you: {c.first} was upset this morning and said that {p.rel} had been"
            ' "really cross"'
            " at the weekend. {c.He} is now settled and playing with {k2.first}. {r.title} is aware.",
            "Please can you call me on the school number when you are free.",
            "Many thanks,",
        ]
    for para in body:
        w.para(f(para.replace("{d}", ctx.datestr(when - dt.timedelta(days=3)))), gap=7)
    w.para(f("{a.full}", a=sender), gap=0)
    w.para(
        f("{a.role}", a=sender)
        + ([(", ", KEEP)] + f("{o.name}") if from_agency else [(", ", KEEP), (c.school.name, KEEP)]),
        gap=0,
    )
    if from_agency:
        w.para(f("{o.addr}"), gap=0, size=8.5)
    author = org.party_id if from_agency else None
    return Built(DocMeta("email", "email", "personal", author), w)
