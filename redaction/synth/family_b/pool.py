"""Name pools of family B: families, staff and agencies of schools outside inner London.

Written apart from :mod:`redaction.synth.names` (the dev family's pools) and kept
disjoint from them (a test checks): a detector tuned on the dev names learns nothing
here. Every string is Latin-1 (pages are typeset in PDF Base14 fonts). Phones are in
Ofcom's drama ranges, e-mails under the reserved ``.example`` top-level domain.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heritage:
    """Names a family of one heritage gives: adults', children's, surnames; what a
    child calls a grandparent."""

    key: str
    men: tuple[str, ...]
    women: tuple[str, ...]
    boys: tuple[str, ...]
    girls: tuple[str, ...]
    surnames: tuple[str, ...]
    gran: tuple[str, ...] = ("Nanna", "Gran")
    grandad: tuple[str, ...] = ("Grandpa", "Gramps")
    feminine: tuple[tuple[str, str], ...] = ()  # surname -> its feminine form


HERITAGES: tuple[Heritage, ...] = (
    Heritage(
        "northern",
        ("Bradley", "Dean", "Wayne", "Stuart", "Craig", "Shane", "Martin", "Neil", "Darren"),
        ("Kayleigh", "Stacey", "Leanne", "Gemma", "Tracey", "Dawn", "Michelle", "Joanne", "Nicola"),
        ("Mason", "Riley", "Harvey", "Jenson", "Archie", "Tommy", "Reggie", "Freddie"),
        ("Isla", "Poppy", "Evie", "Ruby", "Darcie", "Maisie", "Lola", "Willow"),
        (
            "Sutcliffe",
            "Ackroyd",
            "Haigh",
            "Crowther",
            "Holroyd",
            "Whiteley",
            "Barraclough",
            "Hirst",
            "Moss",
            "Bird",
            "Greenhalgh",
            "Ramsbottom",
            "Pickles",
            "Lumb",
        ),
    ),
    Heritage(
        "irish",
        ("Colm", "Eamon", "Fergal", "Niall", "Ronan", "Cathal"),
        ("Gráinne", "Máire", "Deirdre", "Sinéad", "Úna", "Fionnuala"),
        ("Oisín", "Cillian", "Darragh", "Fionn", "Tadhg", "Cormac"),
        ("Saoirse", "Clodagh", "Caoimhe", "Éabha", "Aisling"),
        (
            "Kavanagh",
            "Doherty",
            "Fitzgerald",
            "Quinlan",
            "Brennan",
            "Mulcahy",
            "O'Donoghue",
            "McGuinness",
            "Ní Bhriain",
        ),
        gran=("Nana", "Granny"),
        grandad=("Grandda", "Grandad"),
    ),
    Heritage(
        "pakistani",
        ("Tariq", "Arshad", "Zubair", "Naveed", "Khurram", "Waqas"),
        ("Rubina", "Shabana", "Nasreen", "Samina", "Tahira", "Uzma"),
        ("Zayan", "Rayyan", "Ibraheem", "Haris", "Musa"),
        ("Hafsa", "Inaya", "Anaya", "Zoya", "Eshal", "Manahil"),
        ("Mahmood", "Bashir", "Zaman", "Nawaz", "Chaudhry", "Mirza", "Sadiq", "Anwar"),
        gran=("Nani", "Dadi"),
        grandad=("Nana Ji", "Dada"),
    ),
    Heritage(
        "south_indian",
        ("Karthik", "Suresh", "Ganesh", "Prakash", "Venkat"),
        ("Kavitha", "Lakshmi", "Shanthi", "Revathi", "Malathi"),
        ("Aarav", "Vihaan", "Advik", "Ishaan"),
        ("Diya", "Aadhya", "Ishani", "Saanvi"),
        ("Raghunathan", "Subramaniam", "Pillai", "Krishnan", "Natarajan", "Varadarajan"),
        gran=("Paati", "Ammamma"),
        grandad=("Thatha", "Grandpa"),
    ),
    Heritage(
        "zimbabwean",
        ("Tendai", "Tatenda", "Farai", "Tinashe", "Munyaradzi"),
        ("Rudo", "Chipo", "Nyasha", "Tsitsi", "Fadzai"),
        ("Tawanda", "Kudzai", "Anesu", "Takunda"),
        ("Ruvimbo", "Tariro", "Rutendo", "Chengetai"),
        ("Moyo", "Ncube", "Chikwanha", "Mutasa", "Dube", "Sibanda", "Makoni", "Gumbo"),
        gran=("Gogo", "Ambuya"),
        grandad=("Sekuru", "Grandpa"),
    ),
    Heritage(
        "east_african",
        ("Otieno", "Kamau", "Mugisha", "Njoroge", "Wekesa"),
        ("Wanjiru", "Achieng", "Nakato", "Atieno", "Nyambura"),
        ("Baraka", "Jabari", "Tumaini", "Kibet"),
        ("Makena", "Njeri", "Zuri", "Wambui"),
        ("Ochieng", "Kiprono", "Mwangi", "Odhiambo", "Kariuki", "Ssempala", "Nabukeera", "Mwangi-Otieno"),
        gran=("Cucu", "Grandma"),
        grandad=("Guka", "Grandpa"),
    ),
    Heritage(
        "caribbean",
        ("Errol", "Clive", "Leroy", "Desmond", "Lloyd"),
        ("Yvonne", "Sonia", "Paulette", "Hyacinth", "Cherelle"),
        ("Kaiden", "Jayden", "Malachi", "Tyrese", "Zion"),
        ("Nevaeh", "Kiara", "Amani", "Destiny", "Jada"),
        ("Samuels", "McKenzie", "Forbes", "Gayle", "Bogle", "Lindo", "Ellis-Walcott"),
        gran=("Granny", "Grandma"),
        grandad=("Grandpa", "Granddad"),
    ),
    Heritage(
        "baltic_slovak",
        ("Paulius", "Darius", "Mindaugas", "Janis", "Miroslav"),
        ("Ieva", "Rasa", "Inga", "Liga", "Jana"),
        ("Matas", "Nojus", "Jokubas", "Dominik"),
        ("Emilija", "Gabija", "Urte", "Nikola"),
        ("Kazlauskas", "Petrauskas", "Jankauskas", "Balodis", "Ozols", "Horváth", "Kovács", "Baláz"),
        gran=("Mociute", "Babka"),
        grandad=("Senelis", "Grandad"),
        feminine=(("Kazlauskas", "Kazlauskiene"), ("Petrauskas", "Petrauskiene"), ("Balodis", "Balode")),
    ),
    Heritage(
        "latin_american",
        ("Mauricio", "Julián", "Duarte", "Esteban", "Hernán"),
        ("Catalina", "Ximena", "Lucía", "Paola", "Yolanda"),
        ("Santiago", "Matías", "Tomás", "Gael"),
        ("Valentina", "Camila", "Renata", "Isabela"),
        ("Rodríguez", "Gómez", "Castillo", "Carvalho", "Monteiro", "Quintero", "Barbosa", "Vargas"),
        gran=("Abuela", "Vovó"),
        grandad=("Abuelo", "Vovô"),
    ),
    Heritage(
        "eritrean_ethiopian",
        ("Dawit", "Tesfay", "Bereket", "Yonas", "Mesfin"),
        ("Selam", "Luwam", "Hiwet", "Meron", "Tsega"),
        ("Nahom", "Natnael", "Abel", "Kidus"),
        ("Nardos", "Saron", "Mahlet", "Eden"),
        ("Tesfaye", "Gebremedhin", "Haile", "Berhane", "Kidane", "Woldemariam", "Tekle"),
        gran=("Abaye", "Grandma"),
        grandad=("Ababa", "Grandad"),
    ),
    Heritage(
        "turkish_kurdish",
        ("Serkan", "Baran", "Volkan", "Cemal", "Tolga"),
        ("Dilan", "Melek", "Gülay", "Sevgi", "Nurcan"),
        ("Emir", "Arda", "Aras", "Berat"),
        ("Defne", "Azra", "Ecrin", "Zehra"),
        ("Dogan", "Korkmaz", "Yildirim", "Aksoy", "Polat", "Tekin", "Karatas"),
        gran=("Nene", "Babaanne"),
        grandad=("Dede", "Grandad"),
    ),
    Heritage(
        "east_asian",
        ("Wei", "Jun", "Minh", "Tuan", "Hao"),
        ("Lian", "Linh", "Thao", "Xiaoling", "Huong"),
        ("Ethan", "Bao", "Kai", "Duc"),
        ("Mei", "Ngoc", "Yan", "Jasmine"),
        ("Nguyen", "Tran", "Pham", "Wong", "Liu", "Zhang", "Huynh"),
        gran=("Ba Ngoai", "Grandma"),
        grandad=("Ong", "Grandpa"),
    ),
    Heritage(
        "albanian",
        ("Arben", "Ermal", "Besnik", "Fatmir"),
        ("Arta", "Elira", "Drita", "Mimoza"),
        ("Alban", "Dion", "Liridon"),
        ("Era", "Lea", "Rina"),
        ("Hoxha", "Krasniqi", "Berisha", "Gashi", "Shehu"),
        gran=("Gjyshe", "Nana"),
        grandad=("Gjysh", "Grandad"),
    ),
)

# what a file calls a child for short (the manifest's aliases)
KNOWN_AS: dict[str, str] = {
    "Ibraheem": "Ibby",
    "Ruvimbo": "Ruvi",
    "Chengetai": "Chenge",
    "Santiago": "Santi",
    "Mateusz": "Mati",
    "Valentina": "Vale",
    "Freddie": "Fred",
    "Caoimhe": "Keeva",
    "Natnael": "Nati",
    "Jokubas": "Kuba",
    "Reggie": "Reg",
    "Saoirse": "Sersha",
    "Nevaeh": "Nev",
    "Tumaini": "Tumi",
}

# street names by town; towns by local authority
STREETS_B: tuple[str, ...] = (
    "Fountain Street",
    "Moorside Road",
    "Wellington Crescent",
    "Beck Lane",
    "Lidget Terrace",
    "Carr Bottom Road",
    "Sycamore Walk",
    "Jubilee Way",
    "Manor Drive",
    "Hollins Court",
    "Ravenscliffe Avenue",
    "Tanner Row",
    "Foundry Close",
    "Coronation Street",
    "Bankfield Grove",
)

# local authority: (town, postcode areas, landline prefix in the drama range)
AUTHORITIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "Kirklees": ("Huddersfield", ("HD1", "HD2", "HD4", "WF13"), "01484 96"),
    "Leeds": ("Leeds", ("LS6", "LS8", "LS9", "LS11"), "0113 496"),
    "Bradford": ("Bradford", ("BD3", "BD5", "BD8"), "01274 96"),
    "Bristol": ("Bristol", ("BS2", "BS5", "BS13"), "0117 496"),
    "Sandwell": ("West Bromwich", ("B70", "B71", "B66"), "0121 496"),
    "Luton": ("Luton", ("LU1", "LU2", "LU4"), "01582 96"),
    "Coventry": ("Coventry", ("CV1", "CV2", "CV6"), "024 7696"),
    "Manchester": ("Manchester", ("M8", "M12", "M14"), "0161 496"),
    "Sheffield": ("Sheffield", ("S2", "S4", "S9"), "0114 496"),
}

SCHOOLS_B: tuple[str, ...] = (
    "Moorlands Primary Academy",
    "St Brigid's Catholic Primary",
    "Hollybrook Nursery School",
    "Fernhill Children's Centre",
    "Castlegate Infant and Nursery School",
    "Whitecliffe Community Primary",
    "Lowfield Lane Primary",
)

# agencies: (kind, name pattern, acronym pattern, service word, job titles, e-mail local part)
AGENCY_KINDS: tuple[tuple[str, str, str, str, tuple[str, ...], str], ...] = (
    (
        "social_care",
        "{la} Children's Services",
        "{la} CS",
        "social care",
        ("Allocated Social Worker", "Practice Supervisor", "Assistant Team Manager"),
        "cs.frontdoor",
    ),
    (
        "salt",
        "{la} Community Health NHS Trust Speech and Language Therapy",
        "SALT",
        "speech and language",
        ("Speech and Language Therapist", "Specialist SLT", "SLT Assistant"),
        "slt.admin",
    ),
    (
        "health",
        "{la} 0-19 Public Health Nursing Service",
        "0-19 Service",
        "health visiting",
        ("Health Visitor", "Specialist Community Public Health Nurse", "Staff Nurse"),
        "hv.duty",
    ),
    (
        "police",
        "{force} Police",
        "",
        "police",
        ("Detective Constable", "Police Sergeant", "Safeguarding Officer"),
        "encompass",
    ),
    (
        "eps",
        "{la} Educational Psychology Service",
        "EPS",
        "educational psychology",
        ("Educational Psychologist", "Assistant Educational Psychologist"),
        "eps.referrals",
    ),
    (
        "womens_aid",
        "{town} Women's Aid",
        "",
        "domestic abuse support",
        ("Outreach Worker", "Children and Young People's Worker"),
        "referrals",
    ),
)

FORCES: dict[str, str] = {
    "Kirklees": "West Yorkshire",
    "Leeds": "West Yorkshire",
    "Bradford": "West Yorkshire",
    "Bristol": "Avon and Somerset",
    "Sandwell": "West Midlands",
    "Coventry": "West Midlands",
    "Luton": "Bedfordshire",
    "Manchester": "Greater Manchester",
    "Sheffield": "South Yorkshire",
}

STAFF_JOBS_B: tuple[str, ...] = (
    "Designated Safeguarding Lead",
    "Year 1 Teacher",
    "Reception Teacher",
    "SENDCo",
    "Teaching Assistant",
    "Pastoral Lead",
    "Nursery Practitioner",
    "Learning Mentor",
)

ADULT_NICKNAMES_B: tuple[str, ...] = ("Deano", "Tank", "Skinny {s}", "{s}o", "Bash", "Little {s}")


def all_strings() -> list[str]:
    """Every name-like string of the pools (for the Latin-1 and disjointness tests)."""
    out: list[str] = []
    for h in HERITAGES:
        out += [*h.men, *h.women, *h.boys, *h.girls, *h.surnames, *h.gran, *h.grandad]
        out += [f for _, f in h.feminine]
    out += [*KNOWN_AS.values(), *STREETS_B, *SCHOOLS_B, *ADULT_NICKNAMES_B]
    return out
