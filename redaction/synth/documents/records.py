"""The dev family's forms: the pupil record form, an EYFS observation and a multi-agency referral."""

from __future__ import annotations

from redaction.synth.documents.context import Built, Ctx, DocMeta, _writer
from redaction.synth.layout import KEEP, PageWriter


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
