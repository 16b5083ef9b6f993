"""Family C's documents: child protection conference minutes (attendance and apologies
by person, role and agency), EHCP sections, early help assessments (a household table
with contact details in its cells), school nurse and health visitor records, police
notifications (MASH / PPN), home-school diaries and handwritten notes, printed e-mails
with their header lines, and agency letters with a signature block.

Each builder takes a :class:`Pen` and returns a :class:`~redaction.synth.documents.context.Built`;
a document an agency wrote has ``author`` set and ``authored`` true.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from redaction.synth.documents.context import Built, DocMeta
from redaction.synth.family_c.paper import Leaf, leaf
from redaction.synth.family_c.people import Agency, CaseCast, Person
from redaction.synth.layout import KEEP, Run

Part = str | list[Run]


class Pen:
    """Composes runs for one case: text, people's mentions, dates."""

    def __init__(self, cast: CaseCast, rng: random.Random, long: bool = False) -> None:
        self.c, self.rng, self.long = cast, rng, long
        self.named: set[int] = set()  # people already named in full in this document

    def __call__(self, *parts: Part) -> list[Run]:
        out: list[Run] = []
        for part in parts:
            if isinstance(part, str):
                if part.startswith(".") and out and out[-1][0].endswith("."):  # "Pratik S." ends the sentence
                    part = part[1:]
                out.append((part, KEEP))
            else:
                out.extend(part)
        return out

    def pick(self, xs: list[str], weights: list[int] | None = None) -> str:
        return self.rng.choices(xs, weights)[0]

    # --- people -----------------------------------------------------------------------
    def who(self, p: Person, first: list[str], later: list[str]) -> list[Run]:
        """A mention: one of ``first`` the first time in a document, then one of ``later``."""
        forms = later if id(p) in self.named else first
        self.named.add(id(p))
        return p.name(self.rng.choice(p.usable(forms)))

    def child(self, formal: bool = False) -> list[Run]:
        c = self.c.child
        if formal:
            return c.name(self.rng.choice(["full", "FULL", "surname_first"]))
        return c.name("nickname" if c.nickname and self.rng.random() < 0.3 else "first")

    def peer(self, k: Person) -> list[Run]:
        return self.who(k, ["full", "full", "first_init"],
                        ["first", "first", "first_init", "initials", "initials", "initials_dots", "surname",
                         "poss_first", "FULL", "full", "nickname"])

    def adult(self, p: Person) -> list[Run]:
        """A relative, as a record names them: by name, by title, by what they are to the child."""
        if p.kin and self.rng.random() < 0.3:
            return p.kin_word()
        if self.rng.random() < 0.3 and id(p) in self.named:
            return p.pointer(self.rng)
        return self.who(p, ["full", "title_full", "surname_first", "FULL"],
                        ["first", "title", "surname", "SURNAME", "init_surname", "initials", "nickname", "full"])

    def worker(self, w: Person) -> list[Run]:
        return self.who(w, ["title_full", "full", "init_surname"],
                        ["title", "first", "init_surname_nodot", "full", "poss_title"])

    def staff(self, s: Person) -> list[Run]:
        return s.name(self.rng.choice(["title", "title_full", "full", "first"]))

    def date(self, days_before: int) -> str:
        d = self.c.received - dt.timedelta(days=days_before)
        return self.pick([d.strftime("%d/%m/%Y"), d.strftime("%-d %B %Y"), d.strftime("%a %-d %b")])

    # --- who is in this case -------------------------------------------------------
    def relatives(self, withheld_first: bool = True) -> list[Person]:
        rs = list(self.c.relatives)
        return sorted(rs, key=lambda r: not r.withheld) if withheld_first else rs

    def peers(self, n: int) -> list[Person]:
        return self.rng.sample(self.c.peers, min(n, len(self.c.peers)))

    def agency(self, *kinds: str) -> Agency:
        for k in kinds:
            a = self.c.agency(k)
            if a is not None:
                return a
        return self.c.agencies[0]


def _footer(pen: Pen, text: str) -> list[Run]:
    return [(text, KEEP)]


def _paper(pen: Pen, marking: str = "OFFICIAL-SENSITIVE") -> Leaf:
    return leaf(pen.rng, _footer(pen, f"{marking}   {pen.c.school.name}"))


# --- child protection conference minutes ------------------------------------------------


def cp_conference(pen: Pen) -> Built:
    c, r = pen.c, pen.rng
    sw = pen.agency("social_care")
    w = _paper(pen)
    w.banner(r.choice(["Initial Child Protection Conference", "Review Child Protection Conference"]))
    w.keyvalue([
        ("Child", pen.child(formal=True)),
        ("Date of conference", pen(pen.date(r.randint(20, 90)))),
        ("Chair", pen.worker(sw.workers[0])),
        ("Minute taker", pen.staff(c.staff[-1])),
    ], label_w=130)
    w.para(pen("Present"), bold=True, gap=2)
    body: list[list[list[Run]]] = []
    body.append([pen.staff(c.staff[0]), pen(c.staff[0].job), pen(c.school.name)])
    body.append([c.requester.name(r.choice(["full", "title_full"])), pen(c.requester.relation.capitalize()),
                 pen("-")])
    for a in c.agencies:
        wk = a.workers[-1]
        body.append([pen.worker(wk), pen(wk.job), a.say(r.choice(["title", "title", "short"]))])
    rels = pen.relatives()
    present = [x for x in rels[1:] if r.random() < 0.5]
    for x in present:  # the relationship in a relative's own row says who they are: a reference
        body.append([pen.adult(x), [(x.relation.capitalize(), x.pointer_tag())], pen("-")])
    r.shuffle(body)
    w.rows(["Name", "Role", "Agency"], body, [0.34, 0.3, 0.36])
    w.para(pen("Apologies"), bold=True, gap=2)
    apol = [x for x in rels if x not in present][:2]
    for x in apol:
        why = r.choice(["did not attend", "sent apologies", "not invited; see reasons below"])
        w.para(pen(pen.adult(x), " (", [(x.relation, x.pointer_tag())], ") - ", why), x=w.left + 12, gap=1)
    w.space(8)
    w.para(pen("Summary of discussion"), bold=True, gap=2)
    p0 = rels[0]
    k1, k2 = pen.peers(2)[:2] if len(c.peers) > 1 else (c.peers[0], c.peers[0])
    w.para(pen(pen.staff(c.staff[0]), " reported that ", pen.child(), " has been quiet in class and has told ",
               pen.peer(k1), " that ", c.child.he("he"), " is frightened when ", pen.adult(p0),
               " comes to the house. ", pen.worker(sw.workers[0]), " noted that ", p0.pointer(r),
               " has not engaged with the plan since the last review."))
    if len(rels) > 1:
        p1 = rels[1]
        w.para(pen(pen.adult(p1), " was described by ", c.requester.name("first"), " as a support. ",
                   p1.he("He"), " collects ", pen.child(), " on Thursdays with ", pen.peer(k2),
                   ", whose family live nearby."))
    police = c.agency("police")
    if police is not None:
        w.para(pen(police.say(r.choice(["title", "short"])), " shared that officers attended ",
                   p0.detail("street") if p0.address else pen("the address"), " on two occasions; ",
                   pen.worker(police.workers[0]), " can be reached on ", police.say("phone"), "."))
    w.para(pen("Decision"), bold=True, gap=2)
    w.para(pen(pen.child(), " to be subject to a child protection plan under the category of ",
               r.choice(["emotional abuse", "neglect"]), ". Core group to meet within ten working days."))
    return Built(DocMeta("cp_conference", "cp-conference-minutes", "personal"), w)


# --- EHCP sections ------------------------------------------------------------------------


def ehcp(pen: Pen) -> Built:
    c, r = pen.c, pen.rng
    send = c.agency("send")
    w = _paper(pen, "DRAFT")
    w.heading("Education, Health and Care Plan: school's contribution", size=w.style.size + 4)
    w.keyvalue([
        ("Name of child", pen.child(formal=True)),
        ("Date of birth", pen(c.child.born.strftime("%d/%m/%Y") if c.child.born else "")),
        ("Setting", pen(c.school.name)),
        ("EHC Coordinator", pen.worker(send.workers[0]) if send else pen.staff(c.staff[1])),
    ])
    k = pen.peers(3)
    rel = pen.relatives()[0]
    w.heading("Section A: the views, interests and aspirations of the child and family")
    w.para(pen(pen.child(), " says ", c.child.he("he"), " likes the sand tray and playing tig with ",
               pen.peer(k[0]), " and ", pen.peer(k[-1]), ". ", c.requester.name(r.choice(["first", "title"])),
               " would like ", pen.child(), " to make friends and to feel safe at home and at school."))
    w.para(pen("Contact with ", rel.pointer(r), " is supervised. ", pen.child(), " has said ", c.child.he("he"),
               " does not want to see ", pen.adult(rel), "."))
    w.heading("Section B: special educational needs")
    w.keyvalue([
        ("Communication and interaction", pen("Uses short phrases; needs adult support to join play with ",
                                              pen.peer(k[1 % len(k)]), " and others.")),
        ("Social, emotional and mental health", pen("Dysregulated after weekend contact; uses the calm box.")),
        ("Sensory and/or physical", pen("No needs identified.")),
    ], label_w=175)
    w.heading("Section F: provision")
    w.rows(["Provision", "Frequency", "Delivered by"], [
        [pen("Nurture group"), pen("Daily, 20 minutes"), pen.staff(c.staff[2])],
        [pen("Speech and language targets"), pen("3 x weekly"), pen.staff(c.staff[1])],
        [pen("Lego therapy with ", pen.peer(k[0])), pen("Weekly"), pen.staff(c.staff[-1])],
    ], [0.45, 0.2, 0.35])
    return Built(DocMeta("ehcp", "ehcp-contribution", "developmental"), w)


# --- early help assessment ------------------------------------------------------------------


def early_help(pen: Pen) -> Built:
    c, r = pen.c, pen.rng
    w = _paper(pen)
    w.heading("Early Help Assessment", size=w.style.size + 4)
    w.para(pen("Completed by ", pen.staff(c.staff_as("Family Support Worker")), " with ",
               c.requester.name("title_full"), " on ", pen.date(r.randint(60, 200)), "."), gap=8)
    w.para(pen("Household and significant others"), bold=True, gap=2)
    body = [[c.requester.name("full"), pen(c.requester.relation), pen("Yes"), pen("-")],
            [c.child.name("full"), pen("child"), pen("Yes"), pen("-")]]
    for x in pen.relatives():
        contact: list[Run] = []
        if x.phone:
            contact += x.detail("phone")
        if x.address and r.random() < 0.7:
            contact += pen(" ", x.detail("address"))
        elif x.email:
            contact += pen(" ", x.detail("email"))
        body.append([pen.adult(x), [(x.relation, x.pointer_tag())], pen(r.choice(["No", "Part of the week", "No"])),
                     contact])
    w.rows(["Name", "Relationship to child", "Lives at home", "Contact"], body, [0.24, 0.22, 0.14, 0.4])
    w.para(pen("What is working well"), bold=True, gap=2)
    k = pen.peers(2)
    w.para(pen(pen.child(), " has a good friendship with ", pen.peer(k[0]), " and enjoys after-school club. ",
               c.requester.name("first"), " is warm and attentive."))
    w.para(pen("What are we worried about"), bold=True, gap=2)
    rels = pen.relatives()
    home_word = {"mother": "Mum", "father": "Dad"}.get(c.requester.relation, "Nan")
    w.para(pen(c.requester.name("first"), " reports arguments when ", rels[0].pointer(r), " visits. ",
               c.child.he("He"), " told ", pen.staff(c.staff[0]), " that ", pen.adult(rels[0]),
               f" \"shouts at {home_word}\". ", pen.peer(k[-1]),
               "'s parent has raised concerns about an incident at the park."))
    eh = pen.agency("early_help", "mash")
    w.para(pen("Referred to ", eh.say(r.choice(["title", "short"])), " (", eh.say("inbox"), ") for a family "
               "navigator."))
    return Built(DocMeta("early_help", "early-help-assessment", "personal"), w)


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


# --- home-school diary (written in hand) -------------------------------------------------


def diary(pen: Pen) -> Built:
    c, r = pen.c, pen.rng
    w = leaf(r, None, font=r.choice(["tiro", "helv", "cour"]), size=r.choice([9.5, 10.5]))
    w.heading(pen("Home-school book: ", c.child.name("first")))
    rels = pen.relatives()
    n = 5 if not pen.long else 9
    for i in range(n):
        k = r.choice(c.peers)
        x = rels[i % len(rels)]
        home = i % 2 == 1
        w.para(pen(pen.date(r.randint(1, 120)), "  -  ", "home" if home else "school"), bold=True, gap=0)
        if home:
            body = r.choice([
                pen(x.kin_word() if x.kin else x.pointer(r, True), " is picking ", c.child.he("him"),
                    " up today. ", c.child.he("He"), " was tired after the weekend at ", x.he("his"), " flat. ",
                    c.requester.name("first")),
                pen("Please can ", pen.child(), " sit away from ", pen.peer(k), ". Thanks, ",
                    c.requester.name(r.choice(["first", "initials"]))),
                pen("Don't let ", pen.adult(x), " collect. Ring me if ", x.he("he"), " turns up. ",
                    c.requester.name("first")),
            ])
        else:
            s = r.choice(c.staff)
            body = r.choice([
                pen(pen.child(), " played well with ", pen.peer(k), " in the home corner and shared the "
                    "blocks. ", s.name("initials")),
                pen("Lovely reading today. ", pen.child(), " and ", pen.peer(k), " made a den at playtime. ",
                    s.name("title")),
                pen(pen.child(), " was upset and said ", x.pointer(r), " was \"cross again\". Spoke to ",
                    pen.staff(c.staff[0]), ". ", s.name("first")),
            ])
        w.hand(body)
    return Built(DocMeta("diary", "home-school-book", "developmental"), w)


def hand_note(pen: Pen) -> Built:
    c, r = pen.c, pen.rng
    w = leaf(r, None, font=r.choice(["tiro", "cour", "helv"]), size=r.choice([10.0, 11.5]))
    s = r.choice(c.staff)
    x = pen.relatives()[0]
    w.hand(pen("Note for file  ", pen.date(r.randint(1, 60))), ruled=False)
    w.hand(pen(pen.adult(x), " rang the office asking if ", pen.child(), " was in today. Would not say why. "
               "Number given: ", x.detail("phone") if x.phone else pen("none"), ". Told ", x.he("him"),
               " we cannot share information."))
    w.hand(pen("Later ", x.pointer(r), " waited at the gate. ", pen.child(), " went home with ",
               pen.peer(r.choice(c.peers)), "'s mum as arranged with ", c.requester.name("title"), "."))
    if x.email and r.random() < 0.6:
        w.hand(pen(x.he("He"), " left an email address: ", x.detail("email")))
    w.hand(pen("- ", s.name(r.choice(["first", "initials", "title"]))), ruled=False)
    return Built(DocMeta("hand_note", "handwritten-note", "personal"), w)


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


BUILDERS: dict[str, Callable[[Pen], Built]] = {
    "cp_conference": cp_conference,
    "ehcp": ehcp,
    "early_help": early_help,
    "nurse_record": nurse_record,
    "police_notice": police_notice,
    "diary": diary,
    "hand_note": hand_note,
    "email_print": email_print,
    "agency_letter": agency_letter,
}
