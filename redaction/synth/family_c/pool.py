"""Name pools of family C: families, staff and agencies of Wales, Scotland, Tyneside, the
East Midlands and the South West.

Written apart from the dev family's pools (:mod:`redaction.synth.names`) and family B's
(:mod:`redaction.synth.family_b.pool`) and kept disjoint from both (a test checks).
Every string is Latin-1 (pages are typeset in PDF Base14 fonts). Phones are in Ofcom's
drama ranges, e-mails under the reserved ``.example`` top-level domain.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Roots:
    """The names one family background gives, and what its children call grandparents."""

    key: str
    men: tuple[str, ...]
    women: tuple[str, ...]
    boys: tuple[str, ...]
    girls: tuple[str, ...]
    surnames: tuple[str, ...]
    granny: str = "Granny"
    grandpa: str = "Grandpa"


ROOTS: tuple[Roots, ...] = (
    Roots(
        "welsh",
        ("Rhodri", "Gethin", "Iwan", "Dafydd", "Emyr", "Aled"),
        ("Ffion", "Bethan", "Cerys", "Heledd", "Mairwen", "Sian"),
        ("Osian", "Gruffydd", "Tomos", "Macsen", "Cai"),
        ("Seren", "Mali", "Eirlys", "Lowri", "Elin"),
        ("Pritchard", "Llewellyn", "Prosser", "Bevan", "Gwilliam", "Rhys-Evans", "Wyn-Parry"),
        granny="Mamgu",
        grandpa="Tadcu",
    ),
    Roots(
        "scottish",
        ("Alasdair", "Hamish", "Fraser", "Struan", "Torquil"),
        ("Morag", "Isobel", "Kirsty", "Catriona", "Ishbel"),
        ("Ruaridh", "Lachlan", "Fearghas", "Innes"),
        ("Iona", "Eilidh", "Mhairi", "Kenna"),
        ("Drummond", "Urquhart", "Buchanan", "Lennox-Baird", "Sinclair", "Menzies", "Farquharson"),
        granny="Nana",
        grandpa="Papa",
    ),
    Roots(
        "greek_cypriot",
        ("Andreas", "Stavros", "Panayiotis", "Christakis", "Kyriacos"),
        ("Androulla", "Eleni", "Despina", "Eftychia", "Chrystalla"),
        ("Stelios", "Marios", "Loizos", "Savvas"),
        ("Stella", "Elpida", "Andriana", "Athena"),
        ("Georgiou", "Christodoulou", "Hadjipetrou", "Papadopoulos", "Theodorou", "Kyprianou"),
        granny="Yiayia",
        grandpa="Pappou",
    ),
    Roots(
        "nepali",
        ("Bishnu", "Dipendra", "Ramesh", "Prabin", "Dil"),
        ("Sunita", "Sarita", "Sushila", "Manisha", "Bimala"),
        ("Aayush", "Sujan", "Pratik", "Bibek"),
        ("Anjali", "Srijana", "Prisha", "Aashika"),
        ("Gurung", "Tamang", "Thapa", "Shrestha", "Magar", "Limbu"),
        granny="Hajurama",
        grandpa="Hajurbuwa",
    ),
    Roots(
        "filipino",
        ("Rodel", "Jericho", "Arnel", "Jhun", "Romeo"),
        ("Maricel", "Rowena", "Liezl", "Marivic", "Jocelyn"),
        ("Angelo", "Jhayden", "Lorenz", "Raffy"),
        ("Kristine", "Althea", "Jhoanna", "Czarina"),
        ("Dela-Cruz", "Bautista", "Villanueva", "Macaraeg", "Dimaculangan", "Pangilinan"),
        granny="Lola",
        grandpa="Lolo",
    ),
    Roots(
        "italian",
        ("Salvatore", "Gennaro", "Raffaele", "Vincenzo"),
        ("Carmela", "Assunta", "Rosaria", "Filomena"),
        ("Lorenzo", "Matteo", "Ettore", "Niccolò"),
        ("Giulia", "Chiara", "Ludovica", "Benedetta"),
        ("Esposito", "Ferraro", "Colombo", "Lombardi", "Cavaliere", "Iannucci"),
        granny="Nonna",
        grandpa="Nonno",
    ),
    Roots(
        "cornish",
        ("Jago", "Piran", "Kitto", "Treve"),
        ("Morwenna", "Demelza", "Kerensa", "Tamsin"),
        ("Tristan", "Locryn", "Jowan", "Kenver"),
        ("Elowen", "Lowenna", "Tegen", "Wenna"),
        ("Trelawney", "Penhaligon", "Tregenza", "Polglase", "Chenoweth", "Pascoe", "Angwin"),
        granny="Gran",
        grandpa="Grampy",
    ),
)

# what friends and family call someone (a nickname a file may use)
NICKNAMES: dict[str, str] = {
    "Gruffydd": "Gruff",
    "Lachlan": "Lachie",
    "Panayiotis": "Panos",
    "Christakis": "Chris",
    "Kyriacos": "Kyri",
    "Eftychia": "Effie",
    "Fearghas": "Fergie",
    "Benedetta": "Betta",
    "Ludovica": "Ludo",
    "Morwenna": "Wenna",
    "Raffaele": "Lele",
    "Jericho": "Jek",
    "Dimaculangan": "Dima",
}

ADULT_ALIASES: tuple[str, ...] = ("Spanner", "Mouse", "Ginge", "Tiny", "Scouse")

# towns: (town, postcode districts, landline prefix in Ofcom's drama ranges, authority)
TOWNS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("Newcastle upon Tyne", ("NE4", "NE6", "NE15"), "0191 498 0", "Newcastle"),
    ("Cardiff", ("CF5", "CF11", "CF24"), "029 2018 0", "Cardiff"),
    ("Edinburgh", ("EH7", "EH11", "EH16"), "0131 496 0", "City of Edinburgh"),
    ("Nottingham", ("NG5", "NG7", "NG8"), "0115 496 0", "Nottingham City"),
    ("Truro", ("TR1", "TR4"), "01632 960", "Cornwall"),
)

STREETS: tuple[str, ...] = (
    "Heol y Nant",
    "Chillingham Road",
    "Slateford Terrace",
    "Alfreton Crescent",
    "Quarry Mews",
    "Kenwyn Hill",
    "Shields Road West",
    "Ferry Lane",
    "Gorse Way",
    "Wardour Avenue",
    "Bryn Glas",
    "Tollcross Row",
)

SCHOOLS: tuple[str, ...] = (
    "Ysgol Glan Ceubal",
    "Ravensworth Primary School",
    "Craigmount Early Learning Centre",
    "Sherwood Rise Infant School",
    "Penwithick Community School",
    "Byker Sands Nursery",
)

# the school's own people: job titles
STAFF_JOBS: tuple[str, ...] = (
    "Designated Safeguarding Person",
    "Deputy Headteacher",
    "Class Teacher (Year 2)",
    "Inclusion Lead",
    "Family Support Worker",
    "Nursery Nurse",
    "ALNCo",
)

# agencies: key -> (name pattern, short name, e-mail domain word, worker jobs)
AGENCIES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "social_care": ("{auth} Children's Social Work Service", "CSWS", "childrens",
                    ("Social Worker", "Senior Practitioner", "Conference Chair")),
    "mash": ("{auth} Multi-Agency Safeguarding Hub", "MASH", "mash",
             ("Triage Officer", "Safeguarding Triage Lead")),
    "police": ("{force} Police Public Protection Unit", "PPU", "ppu",
               ("Detective Constable", "Police Constable", "Detective Sergeant")),
    "school_nursing": ("{auth} School Nursing and Health Visiting Team", "SNHV", "snhv",
                       ("School Nurse", "Health Visitor", "Community Staff Nurse")),
    "send": ("{auth} SEND Assessment and Review Team", "SENDART", "send",
             ("EHC Coordinator", "Casework Officer")),
    "early_help": ("{auth} Early Help Partnership", "EHP", "earlyhelp",
                   ("Early Help Practitioner", "Family Navigator")),
}

FORCES: dict[str, str] = {
    "Newcastle": "Northumbria",
    "Cardiff": "South Wales",
    "City of Edinburgh": "Lothian and Borders",
    "Nottingham City": "Nottinghamshire",
    "Cornwall": "Devon and Cornwall",
}


def all_strings() -> list[str]:
    """Every name-like string of the pools (for the Latin-1 and disjointness tests)."""
    out: list[str] = []
    for r in ROOTS:
        out += [*r.men, *r.women, *r.boys, *r.girls, *r.surnames, r.granny, r.grandpa]
    out += [*NICKNAMES.values(), *ADULT_ALIASES, *STREETS, *SCHOOLS]
    return out


def person_names() -> list[str]:
    """Every given name and surname (the strings that must not be in the other families' pools)."""
    return [s for r in ROOTS for s in (*r.men, *r.women, *r.boys, *r.girls, *r.surnames)]
