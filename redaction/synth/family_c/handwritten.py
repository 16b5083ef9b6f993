"""Family C's documents in a hand: the home-school book and a note for the file."""

from __future__ import annotations

from redaction.synth.documents.context import Built, DocMeta
from redaction.synth.family_c.paper import leaf
from redaction.synth.family_c.pen import Pen


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
