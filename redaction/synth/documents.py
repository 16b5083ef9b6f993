"""The documents of a child's school file, written from a :class:`Cast`.

Each builder lays out one source document with a :class:`PageWriter` and says what it is
(:class:`DocMeta`): its kind, the record type, and the third party who wrote it (an agency
letter or an e-mail from an agency worker is *authored* by that agency).

Templates name people as ``{key.form}``: ``{p.title}`` -> "Mr Price", ``{w.initials}`` ->
"SO", ``{c.nick}`` -> "Millie"; see :meth:`Actor.form` and :meth:`Org.form`.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from redaction.synth.cast import Actor, Cast, Org
from redaction.synth.layout import KEEP, PageWriter, Run, Style

_SLOT = re.compile(r"\{(\w+)\.(\w+)\}")


@dataclass(frozen=True)
class DocMeta:
    kind: str
    slug: str
    record_type: str | None = None  # developmental | personal
    author: str | None = None  # third-party id of the writer, if a third party wrote it
    authored: bool | None = None  # its pages are the author's own (None: agency letters and e-mails)


@dataclass
class Built:
    meta: DocMeta
    writer: PageWriter


class Ctx:
    """What a document builder needs: the cast, the RNG and the case's bindings."""

    def __init__(self, cast: Cast, rng: random.Random, long: bool = False) -> None:
        self.cast = cast
        self.rng = rng
        self.long = long  # fuller documents (more entries, more paragraphs)
        c = cast
        people = sorted(c.persons, key=lambda a: (not a.withheld, a.key))
        self.p = people[0]  # a withheld person (always at least one refused)
        self.q = people[1] if len(people) > 1 else people[0]
        self.x = people[-1]
        orgs = sorted(c.orgs, key=lambda o: (not o.withheld, o.party_id))
        self.o = orgs[0]
        self.o2 = orgs[-1]
        self.b: dict[str, Actor | Org] = {
            "c": c.child,
            "r": c.requester,
            "h": c.head,
            "s": c.dsl,
            "t": c.teacher,
            "p": self.p,
            "q": self.q,
            "x": self.x,
            "o": self.o,
            "w": self.o.staff[0],
            "o2": self.o2,
            "w2": self.o2.staff[-1],
            "k1": c.others[0],
            "k2": c.others[1],
            "k3": c.others[-1],
        }

    def fmt(self, template: str, **extra: Actor | Org) -> list[Run]:
        b = {**self.b, **extra}
        runs: list[Run] = []
        pos = 0
        for m in _SLOT.finditer(template):
            if m.start() > pos:
                runs.append((template[pos : m.start()], KEEP))
            runs.extend(b[m.group(1)].form(m.group(2), self.rng))
            pos = m.end()
        if pos < len(template):
            runs.append((template[pos:], KEEP))
        return runs

    def pick(self, options: list[str], k: int) -> list[str]:
        return self.rng.sample(options, min(k, len(options)))

    def date(self, lo: int = 20, hi: int = 300) -> dt.date:
        return self.cast.received - dt.timedelta(days=self.rng.randint(lo, hi))

    def datestr(self, d: dt.date) -> str:
        f = self.rng.choice(["%d/%m/%Y", "%d %B %Y", "%a %d %b %Y"])
        return d.strftime(f)


def _staff_email(a: Actor, cast: Cast) -> str:
    from redaction.synth.names import ascii_fold

    return f"{ascii_fold(a.first[0] + '.' + a.last)}@{cast.school.email.split('@')[1]}"


def _addressed(ctx: Ctx, a: Actor) -> list[Run]:
    """ "Sarah Okafor <sarah.okafor@...>" """
    email = a.email or _staff_email(a, ctx.cast)
    return ctx.fmt("{a.full}", a=a) + [(" <", KEEP), (email, a.contact_tag()), (">", KEEP)]


def _writer(ctx: Ctx, font: str | None = None, size: float | None = None, footer: bool = True) -> PageWriter:
    rng = ctx.rng
    style = Style(font=font or rng.choice(["helv", "helv", "tiro"]), size=size or rng.choice([9.5, 10, 10.5]))
    foot: list[Run] | None = [(f"{ctx.cast.school.name} - CONFIDENTIAL", KEEP)] if footer else None
    return PageWriter(style, rng, foot)


# --- the documents ----------------------------------------------------------------------


def record_form(ctx: Ctx) -> Built:
    c, rng, f = ctx.cast, ctx.rng, ctx.fmt
    w = _writer(ctx, font="helv")
    w.heading(c.school.name, size=14, gap=1)
    w.para([("Pupil Record Form - please keep this information up to date", KEEP)], bold=True, gap=8)
    _pupil_details(ctx, w)
    _carers(ctx, w)
    w.field("Collection password:", [(rng.choice(["Bluebell", "Sunflower", "Rocket", "Penguin"]), KEEP)])
    w.field("Other agencies involved:", f("{o.name} ({w.full}, {o.phone})"))
    w.field(
        "Medical / dietary:",
        [
            (
                rng.choice(["None known.", "Mild eczema; no nuts.", "Asthma - inhaler in class.", "Halal meals."]),
                KEEP,
            )
        ],
    )
    _collection(ctx, w)
    return Built(DocMeta("record_form", "child-record", "personal"), w)


def _pupil_details(ctx: Ctx, w: PageWriter) -> None:
    c, rng, f = ctx.cast, ctx.rng, ctx.fmt
    w.fields_row([("Surname:", f("{c.LAST}")), ("Forename(s):", f("{c.first}"))], label_w=80)
    w.fields_row(
        [
            ("Known as:", [(c.child.alias or c.child.first, c.child.name_tag())]),
            ("Date of birth:", f("{c.dob}")),
        ],
        label_w=80,
    )
    w.field("Home address:", [(c.child.address.one_line if c.child.address else "", KEEP)])
    w.field(
        "Home language(s):",
        [
            (
                rng.choice(
                    [
                        "English",
                        "English, Yoruba",
                        "Somali, English",
                        "Turkish",
                        "Polish, English",
                        "Bengali (Sylheti)",
                        "Portuguese",
                    ]
                ),
                KEEP,
            )
        ],
    )


def _carers(ctx: Ctx, w: PageWriter) -> None:
    """The parents and carers, and the emergency contacts."""
    c, f = ctx.cast, ctx.fmt
    w.space(6)
    w.heading("Parents and carers", size=11)
    rows = [
        [
            f("{r.FULL}"),
            [(c.requester.relationship.title(), KEEP)],
            f("{r.phone}"),
            [("Yes", KEEP)],
            [("Yes", KEEP)],
        ]
    ]
    for a in c.persons:
        if a.relationship in ("father", "mother") or "partner" in a.relationship:
            rows.append(
                [
                    f("{a.FULL}", a=a),
                    f("{a.relf}", a=a),
                    f("{a.phone}", a=a),
                    [("Yes" if a.relationship in ("father", "mother") else "No", KEEP)],
                    [("No" if a.relationship in ("father", "mother") else "Yes", KEEP)],
                ]
            )
    w.table(
        ["Name", "Relationship", "Telephone", "Parental resp.", "Lives with child"],
        rows,
        [0.3, 0.2, 0.2, 0.15, 0.15],
    )
    w.heading("Emergency contacts (in order)", size=11)
    ec = [a for a in c.persons if a.relationship not in ("father", "mother")][:2] or c.persons[:1]
    w.table(
        ["Name", "Relationship to child", "Telephone", "Address"],
        [
            [
                f("{a.full}", a=a),
                f("{a.relf}", a=a),
                f("{a.phone}", a=a),
                f("{a.addr}", a=a) if a.address else [("-", KEEP)],
            ]
            for a in ec
        ],
        [0.24, 0.2, 0.2, 0.36],
    )


def _collection(ctx: Ctx, w: PageWriter) -> None:
    """Who may collect the child (and who not), the permissions and the signature."""
    c, f = ctx.cast, ctx.fmt
    if ctx.long:
        w.new_page()
        w.heading("Collection and permissions", size=11)
    else:
        w.space(6)
    allowed = [a for a in c.persons if not a.withheld][:2]
    barred = [a for a in c.persons if a.withheld and a.relationship not in ("father", "mother")][:1]
    w.table(
        ["Who may collect", "Relationship", "Telephone"],
        [[f("{r.full}"), [(c.requester.relationship, KEEP)], f("{r.phone}")]]
        + [[f("{a.full}", a=a), f("{a.relf}", a=a), f("{a.phone}", a=a)] for a in allowed],
        [0.4, 0.3, 0.3],
    )
    for a in barred:
        w.field("NOT to collect:", f("{a.FULL} ({a.rel}) - see safeguarding file", a=a), boxed=True)
    if ctx.long:
        w.checkbox_line([("Photographs in school", True), ("Photographs on website", False), ("Local trips", True)])
        w.para(
            f(
                "I confirm that the information above is correct and I will tell the school office"
                " of any change. The school may share this information with {o.any} where there is a"
                " safeguarding concern."
            )
        )
    w.space(10)
    w.field("Signed (parent/carer):", f("{r.full}"))
    w.field("Date:", [(ctx.datestr(ctx.date(200, 400)), KEEP)])

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


def observation(ctx: Ctx) -> Built:
    c, rng, f = ctx.cast, ctx.rng, ctx.fmt
    w = _writer(ctx, font="helv", size=10.5)
    w.heading("Learning Journey - Observation", size=14)
    w.fields_row(
        [
            ("Child:", f("{c.first} {c.LAST}")),
            ("Age:", [(f"{rng.randint(3, 5)}y {rng.randint(0, 11)}m", KEEP)]),
        ],
        label_w=45,
    )
    w.fields_row([("Observer:", f("{t.tfull}")), ("Date:", [(ctx.datestr(ctx.date(10, 200)), KEEP)])], label_w=60)
    w.field(
        "Area of learning:",
        [
            (
                rng.choice(
                    [
                        "Personal, Social and Emotional Development",
                        "Communication and Language",
                        "Physical Development",
                    ]
                ),
                KEEP,
            )
        ],
    )
    w.space(6)
    w.para([("What happened", KEEP)], bold=True, gap=2)
    grand = next((a for a in c.persons if "grand" in a.relationship), ctx.q)
    w.para(
        f(
            "{c.nick} built a tall tower in the construction area with {k1.first} and {k2.full}."
            " When {k2.first}"
            ' knocked it over, {c.first} took a deep breath and said "we can build it again". {c.He} then'
            " showed {k3.lastinit} how to balance the long blocks.",
        )
    )
    w.para(
        f(
            'Child\'s voice: "{g.kid} takes me to the park on Saturdays and buys me a snack."',
            g=grand,
        )
    )
    w.para([("Next steps", KEEP)], bold=True, gap=2)
    w.para(
        f(
            "Encourage {c.first} to share resources in small-group play. {t.initials} to share this with"
            " {r.title} at pick-up."
        )
    )
    w.space(8)
    w.checkbox_line([("Shared with parent", rng.random() < 0.6), ("Added to learning journal", True)])
    return Built(DocMeta("observation", "eyfs-observation", "developmental"), w)


def referral_form(ctx: Ctx) -> Built:
    c, rng, f = ctx.cast, ctx.rng, ctx.fmt
    w = _writer(ctx, font="helv", size=9.5)
    w.heading(f("Multi-Agency Referral Form - {o.any}"), size=13)
    w.para([("Section 1: Referrer", KEEP)], bold=True, gap=2)
    w.field("Name:", f("{s.tfull}"), label_w=110, boxed=True)
    w.field("Role / setting:", f("{s.role}, ") + [(c.school.name, KEEP)], label_w=110, boxed=True)
    w.field("Telephone:", [(c.school.phone, KEEP)], label_w=110, boxed=True)
    w.para([("Section 2: Child", KEEP)], bold=True, gap=2)
    w.fields_row(
        [("SURNAME:", f("{c.LAST}")), ("FIRST NAME:", [(c.child.first.upper(), c.child.name_tag())])],
        label_w=75,
    )
    w.fields_row(
        [("DOB:", f("{c.dob}")), ("Gender:", [("Male" if c.child.gender == "m" else "Female", KEEP)])],
        label_w=75,
    )
    w.field("Address:", [(c.child.address.one_line if c.child.address else "", KEEP)], label_w=110, boxed=True)
    w.para([("Section 3: Household and significant others", KEEP)], bold=True, gap=2)
    rows = [[f("{r.FULL}"), [(c.requester.relationship, KEEP)], f("{r.phone}"), [("Same as child", KEEP)]]]
    for a in c.persons:
        rows.append(
            [
                f("{a.FULL}", a=a),
                f("{a.relf}", a=a),
                f("{a.phone}", a=a),
                f("{a.addr}", a=a) if a.address else [("Not known", KEEP)],
            ]
        )
    w.table(["Name", "Relationship", "Telephone", "Address"], rows, [0.25, 0.2, 0.2, 0.35])
    w.para([("Section 4: Reason for referral", KEEP)], bold=True, gap=2)
    known = " (known as {p.alias})" if ctx.p.alias else ""
    w.para(
        f(
            "{c.first} has disclosed that {p.full}" + known + ", {p.rel}, shouts and has"
            " pushed {r.title}. {p.initials} does not live at the address but stays most weekends. {c.first}"
            ' has been more withdrawn in class and told {t.title} that {c.he} is "scared of {p.first}".'
        )
    )
    w.para(
        f(
            "{c.first} is close to {c.his} {q.rel}, {q.full}, who is a protective factor. {k1.full} is"
            " {c.poss} closest friend in class."
        )
    )
    w.para([("Section 5: Consent", KEEP)], bold=True, gap=2)
    w.checkbox_line([("Parent informed of referral", True), ("Parent consents", rng.random() < 0.7)])
    w.field("Agencies already involved:", f("{o2.name} - {w2.full}, {w2.role}"), label_w=150)
    w.field("Signed:", f("{s.init}"), label_w=110)
    return Built(DocMeta("referral", "referral-form", "personal"), w)


BUILDERS: dict[str, Callable[[Ctx], Built]] = {
    "record_form": record_form,
    "concern_log": concern_log,
    "minutes": minutes,
    "agency_letter": agency_letter,
    "email": email_printout,
    "observation": observation,
    "referral": referral_form,
}
