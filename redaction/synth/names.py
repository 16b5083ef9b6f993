"""Name pools for synthetic case folders: the many communities of a London school.

Every string here must be Latin-1, because pages are typeset with PDF Base14 fonts
(helv/tiro/cour), which cannot draw anything else (``é ü ö ç ã ß`` yes, ``ł ş ğ ı`` no).
Phones use Ofcom's drama ranges (07700 900xxx, 020 7946 0xxx) and emails reserved
``example`` domains, so nothing generated is a real number or address.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Community:
    key: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    female_surnames: dict[str, str] = field(default_factory=dict)  # Polish -ski -> -ska
    grand_f: tuple[str, ...] = ("Nan", "Nanny", "Grandma")  # what a child calls a grandmother
    grand_m: tuple[str, ...] = ("Grandad", "Grandpa")


COMMUNITIES: tuple[Community, ...] = (
    Community(
        "english",
        ("Daniel", "Oliver", "Harry", "Jack", "George", "Gary", "Lee", "Thomas", "Alfie", "Callum", "Ryan"),
        (
            "Amelia",
            "Sophie",
            "Claire",
            "Karen",
            "Joan",
            "Emily",
            "Charlotte",
            "Jessica",
            "Zoë",
            "Chloé",
            "Lucy",
        ),
        (
            "Price",
            "Hart",
            "Smith",
            "Harris",
            "Allen",
            "Turner",
            "Baker",
            "Walker",
            "Wood",
            "Fletcher",
            "Cole",
            "Lewis-Jones",
            "Ashworth-Smith",
        ),
    ),
    Community(
        "irish",
        ("Seán", "Ciarán", "Declan", "Eoin", "Pádraig", "Conor", "Liam", "Kieran"),
        ("Siobhán", "Aoife", "Niamh", "Róisín", "Orla", "Bríd", "Ciara", "Maeve"),
        (
            "O'Brien",
            "O'Connor",
            "McCarthy",
            "Murphy",
            "Kelly",
            "McDonagh",
            "Byrne",
            "O'Sullivan",
            "MacNamara",
        ),
    ),
    Community(
        "nigerian",
        ("Oluwaseun", "Adebayo", "Chidi", "Emeka", "Babatunde", "Olumide", "Ifeanyi", "Tobi", "Chukwuemeka"),
        ("Ngozi", "Folake", "Adaeze", "Funmilayo", "Chiamaka", "Ifeoluwa", "Temitope", "Amaka", "Blessing"),
        (
            "Okafor",
            "Adeyemi",
            "Chukwu",
            "Nwosu",
            "Ogunleye",
            "Adebayo",
            "Okonkwo",
            "Balogun",
            "Eze",
            "Oyelaran",
            "Okafor-Smith",
        ),
        grand_f=("Grandma", "Mama", "Iya Agba"),
        grand_m=("Grandad", "Baba"),
    ),
    Community(
        "ghanaian",
        ("Kwame", "Kofi", "Yaw", "Kwabena", "Kojo", "Kwaku", "Ebo", "Fiifi"),
        ("Ama", "Akosua", "Abena", "Efua", "Adwoa", "Afua", "Esi", "Akua"),
        (
            "Mensah",
            "Owusu",
            "Boateng",
            "Asante",
            "Adjei",
            "Osei",
            "Agyeman",
            "Darko",
            "Appiah",
            "Mensah-Bonsu",
        ),
        grand_f=("Grandma", "Nana"),
        grand_m=("Grandad", "Nana"),
    ),
    Community(
        "somali",
        ("Abdirahman", "Mohamed", "Abdi", "Yusuf", "Hassan", "Mahad", "Abdullahi", "Guled"),
        ("Hodan", "Ilhan", "Nasra", "Fadumo", "Hibo", "Sagal", "Amina", "Idil", "Ayan"),
        ("Farah", "Ahmed", "Warsame", "Hassan", "Yusuf", "Abdi", "Hirsi", "Jama", "Osman", "Aden"),
        grand_f=("Ayeeyo", "Grandma"),
        grand_m=("Awoowe", "Grandad"),
    ),
    Community(
        "turkish",
        ("Emre", "Mert", "Can", "Gökhan", "Hüseyin", "Mehmet", "Kerem", "Ömer"),
        ("Elif", "Özlem", "Gül", "Ayse", "Zeynep", "Derya", "Ebru", "Hülya"),
        ("Çelik", "Öztürk", "Kaya", "Demir", "Aydin", "Arslan", "Koç", "Güler", "Erdem", "Özdemir"),
        grand_f=("Anneanne", "Babaanne", "Nan"),
        grand_m=("Dede", "Grandad"),
    ),
    Community(
        "polish",
        ("Jakub", "Kacper", "Piotr", "Tomasz", "Marek", "Szymon", "Wojciech", "Filip"),
        ("Zofia", "Zuzanna", "Agnieszka", "Katarzyna", "Ewa", "Joanna", "Magda", "Oliwia"),
        ("Kowalski", "Nowak", "Wójcik", "Kaminski", "Lewandowski", "Mazur", "Krawczyk", "Zielinski", "Król"),
        female_surnames={
            "Kowalski": "Kowalska",
            "Kaminski": "Kaminska",
            "Lewandowski": "Lewandowska",
            "Zielinski": "Zielinska",
        },
        grand_f=("Babcia", "Nan"),
        grand_m=("Dziadek", "Grandad"),
    ),
    Community(
        "bengali",
        ("Rafiq", "Imran", "Shahid", "Rahim", "Sabbir", "Arif", "Tanvir", "Ibrahim"),
        ("Nusrat", "Tahmina", "Sumaiya", "Ayesha", "Rukhsana", "Shirin", "Farzana", "Jannat"),
        ("Rahman", "Begum", "Uddin", "Miah", "Chowdhury", "Islam", "Hoque", "Ali", "Khatun"),
        grand_f=("Nani", "Dadi"),
        grand_m=("Nana", "Dada"),
    ),
    Community(
        "pakistani",
        ("Hamza", "Bilal", "Usman", "Imran", "Zain", "Ayaan", "Faisal", "Adnan"),
        ("Zainab", "Fatima", "Aleena", "Maryam", "Hira", "Sana", "Noor", "Iqra"),
        ("Khan", "Hussain", "Iqbal", "Malik", "Butt", "Qureshi", "Raja", "Shah", "Akhtar"),
        grand_f=("Nani", "Dadi"),
        grand_m=("Nana", "Dada"),
    ),
    Community(
        "caribbean",
        ("Delroy", "Jermaine", "Tyrone", "Kemar", "Winston", "Marlon", "Dwayne", "Leon"),
        ("Marcia", "Shanice", "Aaliyah", "Beverley", "Janelle", "Tanisha", "Simone", "Keisha"),
        (
            "Campbell",
            "Williams",
            "Thompson",
            "Brown",
            "Clarke",
            "Grant",
            "Francis",
            "Reid",
            "Bailey",
            "Brown-Grant",
        ),
        grand_f=("Granny", "Nana", "Grandma"),
        grand_m=("Grandad", "Grandpa"),
    ),
    Community(
        "portuguese",
        ("João", "Tiago", "Rui", "Sebastião", "Gonçalo", "Diogo", "Estêvão", "André"),
        ("Inês", "Ana", "Conceição", "Mariana", "Beatriz", "Leonor", "Joana", "Sofia"),
        (
            "Gonçalves",
            "Simões",
            "Ferreira",
            "Rodrigues",
            "Araújo",
            "Sousa",
            "Magalhães",
            "Pereira",
            "D'Souza",
        ),
        grand_f=("Avó", "Vovó", "Nan"),
        grand_m=("Avô", "Grandad"),
    ),
    Community(
        "romanian",
        ("Andrei", "Ionut", "Mihai", "Alexandru", "Florin", "Cristian", "Vlad", "Bogdan"),
        ("Ioana", "Andreea", "Elena", "Mihaela", "Alina", "Bianca", "Roxana", "Daria"),
        ("Popescu", "Ionescu", "Stoica", "Dumitrescu", "Constantin", "Popa", "Munteanu", "Lupu"),
        grand_f=("Bunica", "Nan"),
        grand_m=("Bunicul", "Grandad"),
    ),
    Community(
        "other",
        ("Noël", "Moussa", "Jürgen", "Théo", "Luís", "Lukas"),
        ("Anaïs", "Renée", "Noëlle", "Aminata", "Fatoumata", "Käthe"),
        ("Müller", "N'Diaye", "Diallo", "Lefèvre", "Schröder", "Traoré", "Weiß", "Böhm"),
        grand_f=("Mamie", "Oma", "Nan"),
        grand_m=("Papi", "Opa", "Grandad"),
    ),
)

# child-friendly short forms that a file uses for a child (the manifest's aliases)
NICKNAMES: dict[str, str] = {
    "Amelia": "Millie",
    "Oluwaseun": "Seun",
    "Babatunde": "Tunde",
    "Jakub": "Kuba",
    "Mohamed": "Mo",
    "Abdirahman": "Abdi",
    "Ifeoluwa": "Ife",
    "Katarzyna": "Kasia",
    "Kwabena": "Kobby",
    "Zuzanna": "Zuzia",
    "Chukwuemeka": "Emeka",
    "Temitope": "Tope",
    "Charlotte": "Lottie",
    "Jessica": "Jess",
    "Oliver": "Ollie",
    "Thomas": "Tom",
    "Alexandru": "Alex",
    "Funmilayo": "Funmi",
    "Sebastião": "Tião",
    "Zeynep": "Zey",
    "Aleena": "Ally",
    "Maryam": "Mimi",
    "Mehmet": "Memo",
    "Gonçalo": "Gonça",
}

# names adults are known by in the file (manifest "aliases"); {s} = short first name
ADULT_ALIASES: tuple[str, ...] = ("Big {s}", "Junior", "{s}dy", "Taz", "Smiley", "Bossman")

TITLES_M = ("Mr",)
TITLES_F = ("Mrs", "Ms", "Miss")

STREETS: tuple[str, ...] = (
    "Elm Road",
    "Cedar Avenue",
    "Park Lane",
    "Victoria Street",
    "Church Road",
    "Mill Lane",
    "Station Road",
    "Albert Terrace",
    "Queen's Crescent",
    "St Ann's Road",
    "Windsor Gardens",
    "Holloway Court",
    "Lordship Lane",
    "Brook Close",
    "Tottenham Grove",
    "Mayfield Road",
    "Green Lanes",
    "Kingsland Road",
    "Walworth Road",
    "Bow Common Lane",
)

BOROUGHS: dict[str, tuple[str, ...]] = {
    "Barnet": ("N11", "N12", "NW7", "N20"),
    "Haringey": ("N15", "N17", "N22", "N8"),
    "Enfield": ("N9", "N18", "N13"),
    "Islington": ("N1", "N7", "N19"),
    "Hackney": ("E8", "E5", "N16"),
    "Camden": ("NW1", "NW5", "WC1"),
    "Lambeth": ("SW2", "SW9", "SE11"),
    "Southwark": ("SE1", "SE15", "SE5"),
    "Lewisham": ("SE4", "SE6", "SE13"),
    "Newham": ("E6", "E13", "E15"),
    "Tower Hamlets": ("E1", "E3", "E14"),
    "Waltham Forest": ("E17", "E10", "E4"),
    "Ealing": ("W5", "W13", "W3"),
}

SCHOOL_NAMES: tuple[str, ...] = (
    "Oakfield Primary School",
    "St Mary's C of E Primary School",
    "Brookside Nursery and Children's Centre",
    "Wilberforce Primary School",
    "Greenway Infant School",
    "Rosemead Primary Academy",
    "Holy Trinity RC Primary School",
    "Lansbury Lawrence Primary School",
)

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def postcode(rng: random.Random, borough: str) -> str:
    outward = rng.choice(BOROUGHS[borough])
    return f"{outward} {rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"


def ascii_fold(s: str) -> str:
    """ "Gonçalves" -> "goncalves", for the local part of an e-mail address."""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return "".join(ch for ch in s.lower() if ch.isalnum() or ch in "-.")


def surname_for(community: Community, surname: str, gender: str) -> str:
    if gender == "f":
        return community.female_surnames.get(surname, surname)
    return surname


def all_strings() -> list[str]:
    """Every name-like string the pools hold (for the Latin-1 test)."""
    out: list[str] = []
    for c in COMMUNITIES:
        out += [*c.male, *c.female, *c.surnames, *c.grand_f, *c.grand_m, *c.female_surnames.values()]
    out += list(NICKNAMES.values()) + list(STREETS) + list(SCHOOL_NAMES) + list(ADULT_ALIASES)
    return out
