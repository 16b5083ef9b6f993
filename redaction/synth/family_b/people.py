"""Who is in a family-B file, and every way the file writes them, each with its truth.

:class:`Person` answers ``say(form)`` with runs ``(text, Tag)``: the forms a
safeguarding record, a police notification or a therapist's report really use
("KOWALCZYK, Agnieszka", "Mrs A Kowalczyk", "Amelia S.", "A.S.", "Sutcliffe" alone,
"her partner", "Nan") — see :data:`FORMS`. :class:`Agency` does the same for an
organisation. :func:`draw_people` casts one case.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from redaction.synth.family_b.pool import (
    ADULT_NICKNAMES_B,
    AGENCY_KINDS,
    AUTHORITIES,
    FORCES,
    HERITAGES,
    KNOWN_AS,
    SCHOOLS_B,
    STAFF_JOBS_B,
    STREETS_B,
    Heritage,
)
from redaction.synth.layout import KEEP, Run, Tag

# who: child, requester, staff, relative (a third-party person), worker (an agency's), peer (another child)
CONSENT_CHOICES = ("refused", "refused", "granted", "pending")

FORMS = (
    "name",
    "first",
    "surname",
    "SURNAME",
    "Surname, First",
    "SURNAME, First",
    "SURNAME First",
    "First SURNAME",
    "title",
    "title_init",
    "init_dot",
    "init_nodot",
    "first_init",
    "first_init_nodot",
    "initials",
    "initials_dots",
    "poss_first",
    "poss_title",
    "poss_name",
    "nickname",
    "as_child_says",
)


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return "".join(ch for ch in s.lower() if ch.isalnum() or ch in ".-")


@dataclass(frozen=True)
class Place:
    lines: tuple[str, ...]  # ("Flat 2, 41 Beck Lane", "Huddersfield", "HD1 4QT")

    @property
    def joined(self) -> str:
        return ", ".join(self.lines[:-1]) + " " + self.lines[-1]


@dataclass
class Person:
    who: str
    given: str
    family: str
    sex: str  # "f" | "m"
    honorific: str = ""
    known_as: str | None = None
    pid: str | None = None
    consent: str = ""
    job: str = ""
    relation: str = ""  # the manifest's relationship
    # ways the file points at them without a name; the first word of each phrase that
    # is a pronoun or possessive stays part of the reference ("her partner")
    pointers: tuple[str, ...] = ()
    child_word: str = ""  # "Nan", "Uncle", "Aunty" before (or instead of) the given name
    mobile: str | None = None
    mail: str | None = None
    home: Place | None = None
    agency: Agency | None = None
    born: dt.date | None = None

    @property
    def withheld(self) -> bool:
        if self.who == "worker":
            return bool(self.agency and self.agency.withheld)
        return self.consent in ("refused", "pending")

    # --- truth -------------------------------------------------------------------
    def tag(self) -> Tag:
        roles = {"child": "child_name", "requester": "requester_name", "staff": "staff_name"}
        if self.who in roles:
            return Tag("keep", None, roles[self.who])
        if self.who == "peer":
            return Tag("other_child")
        if self.who == "worker":
            assert self.agency is not None
            return self.agency.tag()
        return Tag("refused_ref" if self.withheld else "keep", self.pid)

    def detail_tag(self) -> Tag:
        if self.who in ("relative", "worker", "peer"):
            return Tag(self.tag().cls, self.tag().party_id)
        return KEEP

    def pointer_tag(self) -> Tag:
        if self.who == "relative":
            return Tag("relationship_ref" if self.withheld else "keep", self.pid)
        return KEEP

    # --- forms -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"

    @property
    def title(self) -> str:
        return self.honorific or ("Mr" if self.sex == "m" else "Ms")

    def _initial_of_family(self) -> str:
        f = self.family
        for pre in ("O'", "Mc", "Mac", "Ní ", "Ó "):
            if f.startswith(pre) and len(f) > len(pre):
                return f[len(pre)] if pre in ("Ní ", "Ó ") else f[0]
        return f[0]

    def text(self, form: str) -> str:
        g, f = self.given, self.family
        table = {
            "name": f"{g} {f}",
            "first": g,
            "surname": f,
            "SURNAME": f.upper(),
            "Surname, First": f"{f}, {g}",
            "SURNAME, First": f"{f.upper()}, {g}",
            "SURNAME First": f"{f.upper()} {g}",
            "First SURNAME": f"{g} {f.upper()}",
            "title": f"{self.title} {f}",
            "title_init": f"{self.title} {g[0]} {f}",
            "init_dot": f"{g[0]}. {f}",
            "init_nodot": f"{g[0]} {f}",
            "first_init": f"{g} {self._initial_of_family()}.",
            "first_init_nodot": f"{g} {self._initial_of_family()}",
            "initials": f"{g[0]}{self._initial_of_family()}",
            "initials_dots": f"{g[0]}.{self._initial_of_family()}.",
            "poss_first": f"{g}'s",
            "poss_title": f"{self.title} {f}'s",
            "poss_name": f"{g} {f}'s",
            "nickname": self.known_as or g,
        }
        if form not in table:
            raise KeyError(f"family B: no name form {form!r}")
        return table[form]

    def say(self, form: str, rng: random.Random) -> list[Run]:
        """One mention: a name form (:data:`FORMS`), ``pointer`` / ``Pointer`` (how the
        file points at them: "her partner"; a leading "the" is not part of it),
        ``relation`` (the manifest's words, for a form's cell), ``as_child_says`` ("Nan",
        "Uncle Fergal"), ``mobile``, ``mail``, ``home``, ``street``, ``postcode``, ``job``,
        ``born``; pronouns ``he`` / ``his`` / ``him`` (and capitalised) answer by sex."""
        t = self.tag()
        if form in ("pointer", "Pointer"):
            ref = rng.choice(self.pointers) if self.pointers else self.relation
            if form == "Pointer":
                ref = ref[:1].upper() + ref[1:]
            if ref.lower().startswith("the "):
                return [(ref[:4], KEEP), (ref[4:], self.pointer_tag())]
            return [(ref, self.pointer_tag())]
        if form == "relation":
            return [(self.relation[:1].upper() + self.relation[1:], self.pointer_tag())]
        if form == "as_child_says":
            if self.child_word and self.child_word in ("Uncle", "Aunty", "Auntie"):
                return [(self.child_word, self.pointer_tag()), (" ", KEEP), (self.known_as or self.given, t)]
            if self.child_word:
                return [(self.child_word, self.pointer_tag())]
            return [(self.known_as or self.given, t)]
        dt_ = self.detail_tag()
        if form == "mobile":
            return [(self.mobile or "", dt_)]
        if form == "mail":
            return [(self.mail or "", dt_)]
        if form == "home":
            return [(self.home.joined if self.home else "", dt_)]
        if form == "street":
            return [(self.home.lines[0] if self.home else "", dt_)]
        if form == "postcode":
            return [(self.home.lines[-1] if self.home else "", dt_)]
        if form == "job":
            return [(self.job, KEEP)]
        if form == "born":
            return [(self.born.strftime("%d.%m.%Y") if self.born else "", KEEP)]
        if form in _PRONOUN:
            return [(_PRONOUN[form][0 if self.sex == "m" else 1], KEEP)]
        return [(self.text(form), t)]


_PRONOUN = {
    "he": ("he", "she"),
    "his": ("his", "her"),
    "him": ("him", "her"),
    "He": ("He", "She"),
    "His": ("His", "Her"),
    "son": ("son", "daughter"),
    "boy": ("boy", "girl"),
}


@dataclass
class Agency:
    kind: str
    pid: str
    title: str
    short: str
    service: str
    consent: str
    office: Place
    switchboard: str
    inbox: str
    workers: list[Person] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        return self.consent in ("refused", "pending")

    def tag(self) -> Tag:
        return Tag("refused_ref" if self.withheld else "keep", self.pid)

    def say(self, form: str, rng: random.Random | None = None) -> list[Run]:
        t = self.tag()
        table = {
            "title": self.title,
            "short": self.short or self.title,
            "TITLE": self.title.upper(),
            "switchboard": self.switchboard,
            "inbox": self.inbox,
            "office": self.office.joined,
            "street": self.office.lines[0],
            "postcode": self.office.lines[-1],
        }
        if form not in table:
            raise KeyError(f"family B: no agency form {form!r}")
        return [(table[form], t)]


@dataclass
class School:
    name: str
    authority: str
    town: str
    office: Place
    phone: str
    domain: str


@dataclass
class People:
    school: School
    child: Person
    requester: Person
    staff: list[Person]
    relatives: list[Person]
    agencies: list[Agency]
    peers: list[Person]
    received: dt.date
    sibling: Person | None = None  # one of the peers: the child's brother or sister

    def staff_doing(self, *jobs: str) -> Person:
        for j in jobs:
            for s in self.staff:
                if s.job == j:
                    return s
        return self.staff[0]

    def agency_of(self, kind: str) -> Agency | None:
        return next((a for a in self.agencies if a.kind == kind), None)

    def withheld_relatives(self) -> list[Person]:
        return [r for r in self.relatives if r.withheld]


# --- drawing a case --------------------------------------------------------------------


class _Numbers:
    def __init__(self, rng: random.Random, landline: str) -> None:
        self.rng, self.landline, self.seen = rng, landline, set[str]()

    def _fresh(self, make: str, digits: int) -> str:
        while True:
            n = make + f"{self.rng.randint(0, 10**digits - 1):0{digits}d}"
            if n not in self.seen:
                self.seen.add(n)
                return n

    def mobile(self) -> str:
        n = self._fresh("07700 900", 3)
        return self.rng.choice([n, n.replace(" ", ""), n[:5] + " " + n[6:9] + " " + n[9:]])

    def office(self) -> str:
        # the authority's drama range: "0113 496 0xxx", "01484 960xxx"
        pre = self.landline
        if pre.endswith(" 496") or pre.endswith(" 7696"):
            return self._fresh(pre + " 0", 3)
        return self._fresh(pre + "0", 3)


def _given(rng: random.Random, h: Heritage, sex: str, adult: bool, taken: set[str]) -> str:
    pool = (h.men if sex == "m" else h.women) if adult else (h.boys if sex == "m" else h.girls)
    options = [p for p in pool if p not in taken] or list(pool)
    g = rng.choice(options)
    taken.add(g)
    return g


def _family(rng: random.Random, h: Heritage, sex: str) -> str:
    f = rng.choice(h.surnames)
    if sex == "f":
        f = dict(h.feminine).get(f, f)
    return f


def _place(rng: random.Random, town: str, areas: tuple[str, ...]) -> Place:
    street = f"{rng.randint(2, 212)} {rng.choice(STREETS_B)}"
    if rng.random() < 0.3:
        street = f"Flat {rng.randint(1, 12)}, {street}"
    pc = f"{rng.choice(areas)} {rng.randint(1, 9)}{rng.choice('ABDEHJLNPRSTUWXY')}{rng.choice('ABDFGHJNPQRTUXZ')}"
    return Place((street, town, pc))


def _mail(rng: random.Random, given: str, family: str) -> str:
    g, f = fold(given).replace(" ", ""), fold(family).replace(" ", "")
    local = rng.choice([f"{g}.{f}", f"{g}{rng.randint(70, 99)}", f"{g[0]}{f}{rng.randint(1, 9)}", f"{f}.{g}"])
    return f"{local}@{rng.choice(['mailbox.example', 'inbox.example', 'postmail.example'])}"


def draw_people(rng: random.Random, received: dt.date) -> People:
    la = rng.choice(sorted(AUTHORITIES))
    town, areas, landline = AUTHORITIES[la]
    nums = _Numbers(rng, landline)
    sname = rng.choice(SCHOOLS_B)
    school = School(
        sname, la, town, _place(rng, town, areas), nums.office(), f"{fold(sname.split()[0])}.{fold(la)}.sch.example"
    )
    taken: set[str] = set()

    fam = rng.choice(HERITAGES)
    csex = rng.choice("fm")
    child = Person("child", _given(rng, fam, csex, False, taken), "", csex)
    child.born = received - dt.timedelta(days=rng.randint(3 * 365 + 40, 10 * 365))
    child.known_as = KNOWN_AS.get(child.given) if rng.random() < 0.8 else None

    # the requester: mostly the mother, sometimes the father, now and then a grandmother
    # who holds a special guardianship order
    roll = rng.random()
    rsex = "f" if roll < 0.72 or roll >= 0.9 else "m"
    rrel = "mother" if roll < 0.72 else ("father" if roll < 0.9 else "grandmother (special guardian)")
    req = Person(
        "requester",
        _given(rng, fam, rsex, True, taken),
        _family(rng, fam, rsex),
        rsex,
        honorific=rng.choice(["Mrs", "Ms", "Miss"]) if rsex == "f" else "Mr",
        relation=rrel,
    )
    home = _place(rng, town, areas)
    req.home, req.mobile, req.mail = home, nums.mobile(), _mail(rng, req.given, req.family)
    child.home = home
    # the child's surname: the requester's, or the other parent's, sometimes both
    other_parent_family = _family(rng, fam, "m" if rsex == "f" else "f")
    cf = rng.choice([req.family.split("-")[0], other_parent_family])
    if rng.random() < 0.1 and cf != other_parent_family:
        cf = f"{req.family}-{other_parent_family}"
    child.family = cf

    # school staff
    jobs = ["Headteacher", *rng.sample(STAFF_JOBS_B, rng.randint(2, 4))]
    staff = []
    for job in jobs:
        h = rng.choice(HERITAGES)
        sx = "f" if rng.random() < 0.7 else "m"
        staff.append(
            Person(
                "staff",
                _given(rng, h, sx, True, taken),
                _family(rng, h, sx),
                sx,
                honorific=rng.choice(["Mrs", "Ms", "Miss"]) if sx == "f" else "Mr",
                job=job,
            )
        )

    # the family's other adults
    mum_word = {"mother": "mum", "father": "dad"}.get(rrel, "nan")  # how the file says the requester
    req_pron = "her" if rsex == "f" else "his"
    kinds = ["parent_partner"]
    if rrel != "father":
        kinds.append("father")
    elif rng.random() < 0.7:
        kinds.append("mother")
    kinds += rng.sample(["grandmother", "grandfather", "aunt", "uncle", "neighbour", "childminder"], rng.randint(1, 2))
    relatives: list[Person] = []
    ptr: tuple[str, ...]
    for kind in kinds:
        if kind == "parent_partner":
            sx = "m" if rsex == "f" else "f"
            if rng.random() < 0.1:
                sx = rsex
            h = fam if rng.random() < 0.4 else rng.choice(HERITAGES)
            word = "boyfriend" if sx == "m" else "girlfriend"
            relation = f"{rrel.split(' ')[0]}'s partner"
            ptr = (
                f"{req_pron} partner",
                f"{mum_word}'s {word}",
                f"{mum_word.capitalize()}'s partner",
                f"{req_pron} new partner",
                f"{'step-dad' if sx == 'm' else 'step-mum'}",
            )
            cw = ""
        elif kind in ("father", "mother"):
            sx = "m" if kind == "father" else "f"
            h = fam
            relation = kind
            w = "dad" if sx == "m" else "mum"
            ptr = (
                f"{w.capitalize()}",
                f"{'his' if csex == 'm' else 'her'} {w}",
                f"birth {kind}",
                f"{'his' if csex == 'm' else 'her'} {kind}",
            )
            cw = "Daddy" if sx == "m" else "Mummy"
        elif kind in ("grandmother", "grandfather"):
            sx = "f" if kind == "grandmother" else "m"
            h = fam
            side = rng.choice(["maternal", "paternal"])
            relation = f"{side} {kind}"
            calls = fam.gran if sx == "f" else fam.grandad
            kid = "his" if csex == "m" else "her"
            ptr = (
                calls[0],
                f"{kid} {('nan' if sx == 'f' else 'grandad')}",
                f"{'mum' if side == 'maternal' else 'dad'}'s {'mum' if sx == 'f' else 'dad'}",
                calls[-1],
            )
            cw = calls[0]
        elif kind in ("aunt", "uncle"):
            sx = "f" if kind == "aunt" else "m"
            h = fam
            side = "maternal" if rng.random() < 0.5 else "paternal"
            relation = f"{side} {kind}"
            sib = "sister" if sx == "f" else "brother"
            parent = "mum" if side == "maternal" else "dad"
            kid = "his" if csex == "m" else "her"
            # "her sister" only where "her" is the parent on that side, who is the requester
            through_requester = rrel == ("mother" if side == "maternal" else "father")
            ptr = (f"{parent}'s {sib}", f"{req_pron} {sib}" if through_requester else f"{kid} {kind}", f"{kid} {kind}")
            cw = "Aunty" if sx == "f" else "Uncle"
        elif kind == "neighbour":
            sx = rng.choice("fm")
            h = rng.choice(HERITAGES)
            relation = "neighbour"
            ptr = ("the neighbour", f"{req_pron} neighbour")
            cw = ""
        else:
            sx = "f"
            h = rng.choice(HERITAGES)
            relation = "childminder"
            ptr = ("the childminder", f"{'his' if csex == 'm' else 'her'} childminder")
            cw = ""
        family = other_parent_family if kind in ("father", "mother") else _family(rng, h, sx)
        if kind in ("grandmother", "grandfather") and rng.random() < 0.5:
            family = req.family.split("-")[0] if "maternal" in relation else other_parent_family
        p = Person(
            "relative",
            _given(rng, h, sx, True, taken),
            family,
            sx,
            honorific=rng.choice(["Mrs", "Ms", "Miss"]) if sx == "f" else "Mr",
            relation=relation,
            pointers=ptr,
            child_word=cw,
            mobile=nums.mobile(),
        )
        if rng.random() < 0.55:
            p.mail = _mail(rng, p.given, p.family)
        if kind != "father" or rng.random() < 0.7:
            p.home = _place(rng, town, areas)
        if kind == "parent_partner" and rng.random() < 0.5:
            p.known_as = rng.choice(ADULT_NICKNAMES_B).format(s=p.given[:4])
        relatives.append(p)

    # a relative who shares a given name with the child, a staff member or the requester
    if rng.random() < 0.35:
        r = rng.choice([x for x in relatives if x.relation not in ("father", "mother")])
        same = [a for a in [req, *staff] if a.sex == r.sex and a.given != r.given]
        if same:
            r.given = rng.choice(same).given

    # agencies: children's services always; one to three more
    kinds_a = ["social_care", *rng.sample(["salt", "health", "police", "eps", "womens_aid"], rng.randint(1, 3))]
    agencies: list[Agency] = []
    for kind in kinds_a:
        _, pat, acro, service, titles, local = next(k for k in AGENCY_KINDS if k[0] == kind)
        title = pat.format(la=la, town=town, force=FORCES[la])
        dom = fold(title.split()[0] + ("police" if kind == "police" else "")) + ".example"
        if kind in ("salt", "health"):
            dom = f"{fold(la)}-nhs.example"
        ag = Agency(
            kind,
            "",
            title,
            acro.format(la=la) if acro else "",
            service,
            "",
            _place(rng, town, areas),
            nums.office(),
            f"{local}@{dom}",
        )
        for _ in range(rng.randint(1, 2)):
            h = rng.choice(HERITAGES)
            sx = "f" if rng.random() < 0.65 else "m"
            wk = Person(
                "worker",
                _given(rng, h, sx, True, taken),
                _family(rng, h, sx),
                sx,
                honorific=rng.choice(["Mrs", "Ms", "Dr", "Miss"]) if sx == "f" else rng.choice(["Mr", "Dr"]),
                job=rng.choice(titles),
                agency=ag,
            )
            wk.mobile = nums.mobile() if rng.random() < 0.6 else ag.switchboard
            wk.mail = f"{fold(wk.given)}.{fold(wk.family)}@{dom}".replace(" ", "")
            if kind == "police":
                wk.honorific = {"Detective Constable": "DC", "Police Sergeant": "PS"}.get(wk.job, "PC")
            ag.workers.append(wk)
        agencies.append(ag)

    # consents and ids: at least one withheld relative and one withheld agency
    everyone: list[Person | Agency] = [*relatives, *agencies]
    rng.shuffle(everyone)
    for i, x in enumerate(everyone, start=1):
        x.pid, x.consent = f"tp-{i}", rng.choice(CONSENT_CHOICES)
    if not any(r.withheld for r in relatives):
        rng.choice(relatives).consent = "refused"
    if not any(a.withheld for a in agencies):
        rng.choice(agencies).consent = "refused"
    for a in agencies:
        for wk in a.workers:
            wk.pid = a.pid

    # other children: classmates, sometimes a sibling (the child's surname), sometimes a
    # classmate with the child's given name
    peers: list[Person] = []
    for _ in range(rng.randint(3, 5)):
        h = rng.choice(HERITAGES)
        sx = rng.choice("fm")
        peers.append(Person("peer", _given(rng, h, sx, False, taken), _family(rng, h, sx), sx))
    sibling = None
    if rng.random() < 0.4:
        sx = rng.choice("fm")
        sibling = Person("peer", _given(rng, fam, sx, False, taken), child.family, sx)
        peers.append(sibling)
    if rng.random() < 0.3:
        peers[0].given = child.given
        peers[0].sex = child.sex
        # a namesake is told apart by the surname, and schools write it as an initial
        # ("Tyrese E."): one with the child's surname initial could be the child to any reader
        for _ in range(20):
            if peers[0].family[:1].lower() != child.family[:1].lower():
                break
            peers[0].family = _family(rng, rng.choice(HERITAGES), peers[0].sex)
    if rng.random() < 0.25 and len(peers) > 2:
        peers[1].family = child.family.split("-")[0]
    if sibling is not None:  # more than one child at home: "the children's father"
        for r in relatives:
            if r.relation in ("father", "mother"):
                r.pointers = (*r.pointers, f"the children's {r.relation}")
    return People(school, child, req, staff, relatives, agencies, peers, received, sibling)
