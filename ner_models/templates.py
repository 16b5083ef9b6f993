"""Free-text note templates in the registers of a school file (for :func:`note_samples`).

Slots are those of :meth:`redaction.synth.documents.context.Ctx.fmt`: ``{key.form}`` with keys
c (the child), r (the requester), h/s/t (headteacher, DSL, teacher), p/q/x (third-party
people), o/o2 (agencies), w/w2 (agency workers), k1-k3 (other children), and the forms
of :meth:`redaction.synth.cast.Actor.form`. A ``"\\n"`` starts a new line.

Every fourth template (:func:`split_templates`) is kept for dev only, so the dev set also
measures phrasing the model was not trained on. NEGATIVE templates have capitalised
words that are not people (classes, places, programmes, days): the model must leave them.
"""

from __future__ import annotations

NOTES: tuple[str, ...] = (
    "Spoke to {r.title} at the gate this morning. {r.He} said {c.first} had a bad night after seeing {p.first}.",
    "{c.nick} was very quiet at lunch and sat with {k1.first}. Will keep an eye.",
    "Phone call from {x.full} ({x.rel}) asking if {x.he} can collect {c.first} on Friday. Told {x.him} we need"
    " written permission from {r.first}.",
    "{w.tfull} from {o.name} visited school today to see {c.first}. {c.He} was happy to talk to {w.first}.",
    "Met with {r.full} and {h.tfull}. Agreed that {p.full} will not collect {c.first} until further notice.",
    "{k2.full} and {c.first} had a disagreement at playtime; both apologised. {t.initials}",
    "Per {s.first}: do not discuss {c.poss} home situation with {p.first} or {q.first}.",
    "{c.first} told me {c.he} went to {q.poss} house at the weekend and had a lovely time.",
    "Called {w.first} at {o.short} on {w.phone} - left voicemail. Will try again tomorrow.",
    "Email from {w.full} <{w.email}> re: the home visit. {w.first} asks that school share attendance figures.",
    "{p.title} came into reception shouting and asking to see {c.first}. {h.title} asked {p.him} to leave.",
    "Note for {t.first}: {c.nick} is being picked up by {q.full} today, as agreed with {r.first}.",
    "{c.first} said \"{p.kid} was shouting at Mummy again\". Recorded and passed to {s.tfull} (DSL).",
    "Attendance meeting with {r.first} {r.last}. {c.poss} attendance is below 90%.",
    "{c.first} {c.last} (Year 2) was absent Monday and Tuesday; {r.title} rang in sick.",
    "Incident: {k3.first} hit {c.first} with a scooter at home time. {k3.poss} mum was spoken to.",
    "Referral sent to {o.name} by {s.init}. Awaiting a reply from {w.title}.",
    "Parents evening: {r.full} attended. {q.first} {q.last} also came, with {r.poss} agreement.",
    "CP conference on Thursday. Attending: {s.full}, {w.full}, {w2.full} and {r.full}.",
    "{c.FULL} has settled well since moving to {t.title}'s class.",
    "Safeguarding note: {c.first} disclosed that {p.alias} had taken {c.his} tablet away and locked {c.him} in"
    " the bedroom.",
    "Handover from {t.first}: {c.nick} and {k2.first} not to sit together. {k1.first} needs reading book changed.",
    "Spoke with {x.title} on the phone ({x.phone}). {x.He} is worried about {c.first} and about {p.fullposs}"
    " drinking.",
    "{c.first} asked if {c.he} could go home with {k1.full} after school. Checked with {r.first} - no.",
    "Dear {r.title},\nThank you for coming in on Tuesday to talk about {c.first}.\nKind regards,\n{t.full}",
    "From: {w.full}\nTo: {s.full}\nSubject: {c.first} {c.LAST}\nHi {s.first}, can we meet next week about"
    " {c.first}? Thanks, {w.first}",
    "Hi {w.first},\nJust a quick update - {c.first} is much more settled this week.\nBest wishes\n{s.first}",
    "Present: {h.tfull} (Headteacher), {s.full} (DSL), {w.full} ({o.short}), {r.full} (parent).",
    "Apologies: {w2.full}, {t.full}.",
    "Minutes taken by {t.full}.",
    "{r.first} reported that {p.first} {p.last} has moved out and that {q.full} is helping with childcare.",
    "Concern raised by {t.tfull}: {c.first} arrived hungry and in the same clothes as yesterday.",
    "{c.first} drew a picture of {c.his} family: {c.he} included {r.first}, {k1.first} and {q.kid} but not"
    " {p.first}.",
    "Playground: {k1.first}, {k2.first} and {c.nick} were playing tag. {k2.first} fell and grazed a knee.",
    "Letter received from {o.name} signed by {w.init}, {w.role}.",
    "Contact: {p.FULL}, {p.relf}, tel {p.phone}. NOT to collect.",
    "Emergency contact 1: {q.full} ({q.relf}) {q.phone}",
    "Emergency contact 2: {x.FirstLAST} - {x.relf}",
    "{c.poss} {x.Rel}, {x.full}, rang to ask about the school trip.",
    "Mr and Mrs {r.last} asked for a meeting with {h.title}.",
    "{h.full} spoke to {p.first} in the car park. {p.first} was calm.",
    "{s.initials} and {w.initials} agreed the plan; {w.lastinit} to send minutes.",
    "Reading: {c.first} read with {t.title} and {k3.full} today - good progress with phonics.",
    "{c.first} was upset when {k2.first} said {c.he} could not play. Talked it through with both.",
    "Medical: {c.first} has an inhaler. {r.first} to bring in a spare. Checked by {t.lastinit}",
    "Signed: {s.full}   Date: 12/03/2025",
    "Observer: {t.tfull}",
    "Child: {c.FULL}   DOB: {c.dob}",
    "Name of parent/carer: {r.full}   Relationship: {r.relf}",
    "Telephone conversation with {r.first} - {r.he} is unhappy that {q.first} was given the newsletter.",
    "{k1.poss} mum asked whether {c.first} could come to a birthday party; referred her to {r.title}.",
    "{w.first} {w.last} ({o.any}) will visit the family on Monday with {w2.first}.",
    "Agreed actions: {s.initials} to update chronology; {w.first} to contact {p.title}; {r.first} to attend"
    " the parenting course.",
    "{c.first} told {t.first} that {q.kid} buys {c.him} sweets and takes {c.him} to the park.",
    "Strategy discussion held between {s.full} (school), {w.full} ({o.name}) and DC {w2.last}.",
    "{c.nick}'s friend {k1.first} said that {p.first} had been at the flat all weekend.",
    "cc {h.full}, {t.full}",
    "spoke to {c.first} re lunch - {c.he} is eating well now. {t.initials}",
    "{r.first} and {c.first} came in late again (9.25). {r.first} said the bus was late.",
    "Please note {p.FULL} is not permitted on the school site.",
    "{o.NAME}\nDuty Team\nRe: {c.FULL}",
    "Yours sincerely,\n{w.full}\n{w.role}",
    "Kind regards\n{s.first}\n{s.role}",
    "{t.title} asked {c.first} who lives at home. {c.He} said \"me, Mummy, {k2.first} and {p.alias}\".",
    "The family are known to {o.any}; allocated worker {w.full}.",
    "{x.first} ({x.rel}) is a protective factor and collects {c.first} twice a week.",
    "{c.first} {c.last}, {c.first} {c.last}, {c.first} {c.last} - name practice in handwriting book.",
    # other children, named after the cues detect/child_cues.py looks for ("her friend", "a child called")
    "{c.His} friend {k1.first} cried when {k1.he} fell over.",
    "{c.His} best friend {k2.first} was off sick today, so {c.first} played alone.",
    "A child called {k3.first} told {t.title} that {c.first} had been crying in the toilets.",
    "Another pupil, {k1.first}, saw what happened and said {k2.first} started it.",
    "{c.poss} classmate {k2.full} has been unkind to {c.him} at lunchtimes.",
    "{k3.first} (Year 1) and {c.nick} were found in the cloakroom during assembly.",
    "{c.first} said {c.his} cousin {k1.first} is staying with them.",
    "Two children, {k1.first} and {k3.first}, were kept in at break.",
    "{k2.first} was upset. {k2.He} said {c.first} took {k2.his} snack.",
    "Kept {k1.first} back after school to talk about what {k1.he} said to {c.first}.",
    "{k3.poss} mum, {x.first}, asked {t.title} to move {k3.first} away from {c.first}.",
    "The boy, {k1.first}, was spoken to by {h.title}.",
)

NEGATIVE: tuple[str, ...] = (
    "Bluebell Class visited the Science Museum on Wednesday. Packed lunches needed.",
    "Reading Recovery sessions take place on Monday and Thursday afternoons.",
    "Year 2 SATs results are attached to this record.",
    "Ofsted inspection expected in March; all safeguarding files to be updated.",
    "Forest School on Fridays - wellies and waterproofs please.",
    "Christmas Nativity rehearsals start next week in the main hall.",
    "Designated Safeguarding Lead and Deputy DSL to attend Child Protection Conference training.",
    "Early Help Assessment completed. Team Around the Family meeting booked.",
    "MASH referral made. Outcome: Section 17 Child in Need assessment.",
    "Date: 04/02/2025   Time: 15:20   Location: Reception",
    "Concern: Action taken: Outcome: Signed: Date:",
    "Home address: Flat 3, Elm Road, London N15 4AB",
    "Tottenham Grove Nursery and Haringey Library Service run a Stay and Play group.",
    "Attendance this term: 91.5%. Punctuality: 12 lates.",
    "The class read The Gruffalo and Room on the Broom this half term.",
    "PE kit: white T-shirt, navy shorts, black plimsolls.",
    "Maths Mastery, Read Write Inc and Talk for Writing are used across Key Stage 1.",
    "Victoria Street Surgery confirmed the immunisations are up to date.",
    "Free School Meals: Yes. Pupil Premium: Yes. SEN support: No.",
    "Next review: six weeks. Venue: Family Room, Children's Centre.",
    "Body map completed and stored in the CPOMS record.",
    "Easter holidays: school closes Friday and reopens Tuesday after Bank Holiday Monday.",
)


def split_templates(templates: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(train templates, dev-only templates): every fourth template is dev-only."""
    train = [t for i, t in enumerate(templates) if i % 4 != 3]
    dev = [t for i, t in enumerate(templates) if i % 4 == 3]
    return train, dev
