"""What family C's agencies write: health records, police notifications, e-mails and letters."""

from __future__ import annotations

from redaction.synth.documents.context import Built, DocMeta
from redaction.synth.family_c.pen import Pen, _paper
from redaction.synth.layout import Run

# --- school nurse / health visitor record ---------------------------------------------


def nurse_record(pen: Pen) -> Built:
    c, r = pen.c, pen.rng
    a = pen.agency("school_nursing", "send", "early_help")
    nurse = a.workers[0]
    w = _paper(pen, "CONFIDENTIAL - HEALTH RECORD")
    w.letterhead(a.say("title"), [a.say("office"), pen("Tel ", a.say("phone"))])
    w.keyvalue([
        ("Client", pen.child(formal=True)),
        ("Contact type", pen(r.choice(["Home visit", "School drop-in", "Telephone"]))),
        ("Practitioner", pen.worker(nurse)),
    ], label_w=120)
    rels = pen.relatives()
    entries = 3 if not pen.long else 6
    for i in range(entries):
        x = rels[i % len(rels)]
        w.para(pen(pen.date(r.randint(10, 300)), "  ", nurse.name("initials")), bold=True, gap=1)
        txt = r.choice([
            pen("Seen with ", c.requester.name("first"), ". Growth on the 25th centile. ", x.pointer(r, True),
                " was present and answered for ", c.child.he("him"), "."),
            pen("Call from ", pen.adult(x), " on ", x.detail("phone") if x.phone else pen("a withheld number"),
                " asking for the clinic letter to be sent to ", x.detail("address") if x.address else pen("them"),
                "."),
            pen("Discussed sleep; ", pen.child(), " has sleepovers with ",
                pen.peer(c.peers[-1]), " at weekends. Advice given."),
        ])
        w.para(txt, gap=6)
    w.sign_off("Signed", [nurse.name("full"), pen(nurse.job), a.say("short")])
    return Built(DocMeta("nurse_record", "health-record", "personal", a.pid, True), w)


# --- police notification ------------------------------------------------------------------


def police_notice(pen: Pen) -> Built:
    c, r = pen.c, pen.rng
    pol = pen.agency("police")
    officer = pol.workers[0]
    w = _paper(pen)
    w.letterhead(pol.say("title"), [pol.say("office"), pen("Secure: ", pol.say("inbox"))])
    w.banner(r.choice(["Public Protection Notice (PPN)", "MASH Notification to School"]))
    rel = pen.relatives()[0]
    w.keyvalue([
        ("PPN reference", pen(f"PPN/{r.randint(10, 99)}/{r.randint(100000, 999999)}")),
        ("Date and time", pen(pen.date(r.randint(3, 40)), f" {r.randint(0, 23):02d}:{r.randint(0, 59):02d}")),
        ("Location", rel.detail("address") if rel.address else pen("unknown")),
        ("Reporting officer", pen(officer.name("full"), f" {officer.job} ", pen(f"{r.randint(1000, 9999)}"))),
    ], label_w=120)
    w.para(pen("Persons present"), bold=True, gap=2)
    body = [[rel.name("SURNAME"), rel.name("first"), pen("Suspect"), rel.detail("phone")],
            [c.requester.name("SURNAME"), c.requester.name("first"), pen("Victim"), pen("-")],
            [c.child.name("SURNAME"), c.child.name("first"), pen("Child present"), pen("-")]]
    if c.peers and r.random() < 0.6:
        k = c.peers[-1]
        body.append([k.name("SURNAME"), k.name("first"), pen("Child present (visiting)"), pen("-")])
    w.rows(["Surname", "Forename(s)", "Involvement", "Phone"], body, [0.26, 0.22, 0.28, 0.24])
    w.para(pen("Circumstances"), bold=True, gap=2)
    w.para(pen("Officers attended following a call from a neighbour. ", rel.name("title"), " had left before "
               "arrival. ", c.requester.name("title"), " disclosed that ", rel.pointer(r), " had damaged the front "
               "door. ", pen.child(), " was asleep upstairs. DASH risk: ", r.choice(["medium", "high"]), "."))
    w.para(pen("Please contact ", officer.name("title"), " on ", officer.detail("phone"), " or ",
               officer.detail("email"), " with any information."))
    return Built(DocMeta("police_notice", "police-notification", "personal", pol.pid, True), w)


# --- e-mails and letters -----------------------------------------------------------------


def email_print(pen: Pen) -> Built:
    c, r = pen.c, pen.rng
    a = r.choice(c.agencies)
    wk = a.workers[0]
    s = c.staff[0]
    from_agency = r.random() < 0.6
    s_mail = f"{s.given[0].lower()}.{s.family.lower().replace(' ', '').replace('-', '')}@{c.school.domain}"
    w = _paper(pen, "OFFICIAL")
    x = pen.relatives()[0]
    other = c.staff[1]
    o_mail = f"{other.given[0].lower()}.{other.family.lower().replace(' ', '').replace('-', '')}@{c.school.domain}"
    cc: list[Run] = a.say("inbox") if not from_agency else pen(other.name("full"), " <", o_mail, ">")
    if r.random() < 0.5 and x.email:
        cc = pen(cc, "; ", x.detail("email"))
    if from_agency:
        fields = [("From:", pen(wk.name("full"), " <", wk.detail("email"), ">")),
                  ("To:", pen(s.name("full"), " <", s_mail, ">"))]
    else:
        fields = [("From:", pen(s.name("full"), " <", s_mail, ">")),
                  ("To:", pen(wk.name("full"), " <", wk.detail("email"), ">"))]
    sent = f" {r.randint(8, 17):02d}:{r.randint(0, 59):02d}"
    subject = r.choice(["contact arrangements", "update", "strategy discussion"])
    fields += [("Cc:", cc), ("Sent:", pen(pen.date(r.randint(2, 60)), sent)),
               ("Subject:", pen("RE: ", pen.child(), " - ", subject))]
    w.mail_header(fields)
    k = r.choice(c.peers)
    if from_agency:
        w.para(pen("Hi ", s.name("first"), ","))
        w.para(pen("Following our call: ", pen.adult(x), " has been told contact will stay supervised. ",
                   x.he("He"), " may try to contact the school on ", x.detail("phone") if x.phone else pen("a new "
                                                                                                         "number"),
                   ". Please let me know if ", x.pointer(r), " attends."))
        w.para(pen("Could you also confirm whether ", pen.peer(k), " is still in the same class?"))
        w.para(pen("Kind regards,"), gap=0)
        w.para(wk.name("full"), gap=0)
        w.para(pen(wk.job, ", "), gap=0)
        w.para(a.say("title"), gap=0)
        w.para(pen("Direct line: ", wk.detail("phone")))
    else:
        w.para(pen("Dear ", wk.name(r.choice(["first", "title"])), ","))
        w.para(pen("As discussed, ", pen.child(), " told ", c.staff[-1].name("title"), " this morning that ",
                   x.pointer(r), " (", pen.adult(x), ") had been at the house. ", c.child.he("He"),
                   " was playing with ", pen.peer(k), " at the time."))
        w.para(pen("Regards,"), gap=0)
        w.para(s.name("full"), gap=0)
        w.para(pen(s.job, ", ", c.school.name))
    author = a.pid if from_agency else None
    return Built(DocMeta("email_print", "email", "personal", author, from_agency), w)


def agency_letter(pen: Pen) -> Built:
    c, r = pen.c, pen.rng
    a = r.choice([x for x in c.agencies if x.withheld] or c.agencies)
    wk = a.workers[-1]
    w = _paper(pen, "OFFICIAL")
    w.letterhead(a.say("title"), [a.say("office"), pen("Tel: ", a.say("phone")), a.say("inbox")])
    w.para(pen(c.requester.name("title_full")), gap=0)
    for ln in c.school.address.lines:  # care of the school
        w.para(pen(ln), gap=0)
    w.space(8)
    w.para(pen(pen.date(r.randint(5, 90))), align="right")
    w.para(pen("Dear ", c.requester.name("title"), ","))
    x = pen.relatives()[0]
    w.para(pen("Re: ", pen.child(formal=True)), bold=True)
    w.para(pen("I am writing to confirm the outcome of the assessment. We have spoken with ", pen.adult(x),
               " and explained that any contact with ", pen.child(), " must be agreed with you first. ",
               x.pointer(r, True), " has been given our number."))
    if len(c.relatives) > 1:
        y = c.relatives[1]
        w.para(pen("We also met ", pen.adult(y), ", who ", r.choice(["offered to help with school runs",
                                                                     "would like to be kept informed"]), "."))
    w.sign_off("Yours sincerely", [pen(wk.name("full")), pen(wk.job), a.say("short"),
                                   pen("Direct: ", wk.detail("phone")), wk.detail("email")])
    return Built(DocMeta("agency_letter", "agency-letter", "personal", a.pid, True), w)
