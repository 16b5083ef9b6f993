"""The dev family's records of concerns and meetings: the safeguarding concern log and the minutes."""

from __future__ import annotations

import datetime as dt

from redaction.synth.documents.context import Built, Ctx, DocMeta, _writer
from redaction.synth.layout import KEEP, PageWriter

_CONCERNS = [
    "{c.first} arrived at 9.20 with a bruise on {c.his} left forearm. When asked,"
    ' {c.he} said "{p.kid} grabbed'
    ' me". {r.title} later told {s.title} that {p.first} ({p.rel}) had been staying at the flat.',
    "At pick-up {p.full} ({p.rel}) arrived at the gate and was loud and agitated. {h.title} spoke with"
    " {p.him} in the foyer. {c.first} was collected by {r.first} at 16.10.",
    "During circle time {c.first} told {t.title} that {k1.first} and {k2.lastinit} cannot come to"
    " {c.his} house"
    ' because "{p.kid} shouts at Mummy". {c.nick} appeared tired and withdrawn all morning.',
    "{p.initials} was seen waiting outside the gate at 15.15 although {r.first} had asked the office not to"
    " release {c.first} to {p.him}. {s.initials} informed.",
    "{c.poss} {x.Rel} ({x.full}) rang the office on {x.phone} asking for {c.poss} timetable. Referred to"
    " {s.title}; no information given.",
    "{k3.full} pushed {c.first} in the playground and {c.he} fell. Both children spoken to; {k3.poss} parents"
    " informed. {c.first} said {c.he} is worried that {q.rel} will be cross.",
    '{c.first} said that {c.he} stayed at {q.poss} house at the weekend and "{q.first} was shouting". Noted'
    " for information; {r.first} informed at home time.",
]

_ACTIONS = [
    "Phoned {o.name} on {o.phone} and spoke with {w.tfull} ({w.role}). {w.first} advised school to monitor and record.",
    "Referral to {o.any}. {w.init} to call back. Email sent to {w.email}.",
    "Discussed with {h.title} and {r.title}. Body map completed. {o.short} duty desk informed.",
    "Left a message for {p.title} on {p.phone}. No reply by 17.00.",
    "Spoke with {w.first} at {o.any}; strategy discussion planned. Chronology updated.",
    "Logged on file. {t.title} to keep a watching brief on {c.first} and {k1.first}.",
]


def concern_log(ctx: Ctx) -> Built:
    c, rng, f = ctx.cast, ctx.rng, ctx.fmt
    w = _writer(ctx, font=rng.choice(["helv", "cour"]), size=10.5 if ctx.long else 9.5)
    w.heading("Safeguarding Concern Record - CONFIDENTIAL", size=13)
    w.fields_row([("Child:", f("{c.full}")), ("DOB:", f("{c.dob}"))], label_w=50)
    w.fields_row([("School:", [(c.school.name, KEEP)]), ("DSL:", f("{s.tfull}"))], label_w=50)
    w.rule()
    n = 6 if ctx.long else rng.randint(3, 5)
    dates = sorted(ctx.date(15, 200) for _ in range(n))
    concerns = ctx.pick(_CONCERNS, n)
    actions = ctx.pick(_ACTIONS, n)
    for d, con, act in zip(dates, concerns, actions, strict=True):
        recorder = rng.choice(c.staff)
        w.fields_row(
            [
                (
                    "Date:",
                    [(f"{d:%d/%m/%Y} {rng.randint(8, 16)}:{rng.choice(['05', '20', '35', '50'])}", KEEP)],
                ),
                ("Recorded by:", f("{a.tfull}, {a.role}", a=recorder)),
            ],
            label_w=70,
        )
        w.field("Concern:", f(con), label_w=80)
        w.field("Action taken:", f(act), label_w=80)
        w.field("Signed:", f("{a.initials}", a=recorder), label_w=80)
        w.rule(width=0.4, gap=5)
    return Built(DocMeta("concern_log", "concern-log", "personal"), w)


def minutes(ctx: Ctx) -> Built:
    c, rng, f = ctx.cast, ctx.rng, ctx.fmt
    w = _writer(ctx)
    title = rng.choice(["Team Around the Family meeting", "Child in Need review meeting", "Early Help review"])
    w.heading(f"{title} - minutes", size=13)
    meeting = ctx.date(10, 120)
    w.fields_row([("Date:", [(ctx.datestr(meeting), KEEP)]), ("Venue:", [(c.school.name, KEEP)])], label_w=50)
    _present(ctx, w)
    items = _minutes_items(ctx.long)
    for head, body in items:
        w.para(f(head.replace("{o.short}", "{o.any}")), bold=True, gap=2)
        w.para(
            f(
                body.replace("{n}", str(rng.randint(82, 97))).replace(
                    "{d}", ctx.datestr(meeting - dt.timedelta(days=rng.randint(4, 30)))
                )
            )
        )
    w.para([(f"{len(items) + 1}. Actions", KEEP)], bold=True, gap=2)
    _actions(ctx, w)
    return Built(DocMeta("minutes", "meeting-minutes", "personal"), w)


def _present(ctx: Ctx, w: PageWriter) -> None:
    """Who was at the meeting, and the apologies."""
    c, rng, f = ctx.cast, ctx.rng, ctx.fmt
    w.para([("Present:", KEEP)], bold=True, gap=2)
    rows = [
        [f("{h.tfull}"), [("Headteacher", KEEP)], [(c.school.name, KEEP)]],
        [f("{r.full}"), [(c.requester.relationship.title(), KEEP)], [("-", KEEP)]],
        [f("{w.full}"), f("{w.role}"), f("{o.name}")],
    ]
    if c.dsl is not c.head:
        rows.insert(1, [f("{s.tfull}"), f("{s.role}"), [(c.school.name, KEEP)]])
    if ctx.o2 is not ctx.o:
        rows.append([f("{w2.full}"), f("{w2.role}"), f("{o2.name}")])
    w.table(["Name", "Role", "Organisation"], rows, [0.32, 0.28, 0.4])
    w.para(
        f("Apologies: {x.full} ({x.rel}).") if not ctx.x.withheld or rng.random() < 0.5 else f("Apologies: none."),
        gap=6,
    )


def _minutes_items(long: bool) -> list[tuple[str, str]]:
    """The minutes' items (heading, text template): six in a long file, else three (no health item)."""
    items = [
        (
            "1. Update from school",
            "{s.initials} reported that {c.poss} attendance is {n}% this term. {c.first} is"
            " settled in class and plays mostly with {k1.first} and {k2.first}. Staff have noticed {c.he} is"
            " anxious on Mondays after weekends with {p.rel}.",
        ),
        (
            "2. Update from {o.short}",
            "{w.initials} said that a home visit took place on {d}. {p.title} was"
            " present and did not want to engage. {w.initials} will contact {p.first} again on {p.phone}.",
        ),
        (
            "3. Health and development",
            "{t.title} said {c.first} has made good progress in phonics and"
            " now writes {c.his} name independently. {c.nick} has been seen by the school nurse; no concerns."
            " {c.first} sometimes becomes upset when {k2.first} or {k3.first} are chosen as helpers.",
        ),
        (
            "4. Parent's view",
            "{r.initials} said things are calmer at home. {r.He} asked that {p.first} is not"
            " given information about {c.first} by school. {r.initials} is grateful for {x.poss} help with"
            " childcare.",
        ),
    ]
    if long:
        items += [
            (
                "5. Contact arrangements",
                "{r.initials} said that {c.first} sees {q.rel} ({q.full}) every other weekend."
                " {w.initials} asked that any change is shared with {o.any} on {o.phone}. {p.first} is not to"
                " collect {c.first} from school; {h.title} confirmed the office has a photograph on file.",
            ),
            (
                "6. Any other business",
                "{s.initials} will invite {o2.any} to the next meeting. {r.first} asked for a"
                " copy of these minutes. Next meeting: six weeks, at school.",
            ),
        ]
    else:
        items.pop(2)
    return items


def _actions(ctx: Ctx, w: PageWriter) -> None:
    f = ctx.fmt
    w.table(
        ["Action", "Who", "By"],
        [
            [f("Chronology to be shared with {o.any}"), f("{s.initials}"), [("2 weeks", KEEP)]],
            [f("Home visit and update to school"), f("{w.initials}"), [("next review", KEEP)]],
            [f("Keep {c.first} and {k3.first} in separate groups"), f("{t.initials}"), [("ongoing", KEEP)]],
        ],
        [0.6, 0.2, 0.2],
    )
