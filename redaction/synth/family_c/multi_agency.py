"""Family C's multi-agency documents: child protection conference minutes, EHCP sections, early help."""

from __future__ import annotations

from redaction.synth.documents.context import Built, DocMeta
from redaction.synth.family_c.pen import Pen, _paper
from redaction.synth.layout import Run

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
