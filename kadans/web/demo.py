"""Demo data: "Brouwerij De Kadans", a Flemish brewery in Gent, and the bars, shops, restaurants and
wholesalers its sales team follows up.

Everything goes through the services (relations, contacts, activities, status changes), so the demo shows
what the application itself would have written. The only shortcut is `_backdate()`: the services stamp
"now", and a believable history needs past dates.

Deterministic: one `random.Random(2026)`; every date is relative to `timezone.localdate()` at load time.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from kadans.accounts.models import Team, User
from kadans.activities.models import Activity, ActivityType, Product
from kadans.activities.services import CostLineData, activity_cancel, activity_create
from kadans.relations.models import BusinessStatus, Priority, Relation, StatusChange
from kadans.relations.services import contact_create, relation_create

DEMO_PASSWORD = "kadans-demo"
MARKER_RELATION = "Café De Gouden Leeuw"
SEED = 2026

# username, first name, last name, role, team, is_staff/superuser
USERS = [
    ("admin", "Admin", "Kadans", User.Role.ADMINISTRATOR, None, True),
    ("manager", "Sofie", "Claes", User.Role.MANAGER, "Oost-Vlaanderen", False),
    ("rep", "Pieter", "Janssens", User.Role.REPRESENTATIVE, "Oost-Vlaanderen", False),
    ("rep2", "Lotte", "Peeters", User.Role.REPRESENTATIVE, "Oost-Vlaanderen", False),
    ("manager2", "Koen", "Wouters", User.Role.MANAGER, "Antwerpen", False),
    ("rep3", "Wout", "Maes", User.Role.REPRESENTATIVE, "Antwerpen", False),
]
TEAM_MANAGERS = {"Oost-Vlaanderen": "manager", "Antwerpen": "manager2"}

PRODUCTS = [
    # code, name, cost price
    ("KAD-BL33", "Kadans Blond 33cl", "0.85"),
    ("KAD-TR33", "Kadans Tripel 33cl", "1.10"),
    ("KAD-OB75", "Kadans Oud Bruin 75cl", "2.40"),
    ("KAD-GD4", "Geschenkdoos 4 bieren", "9.50"),
    ("KAD-GLAS", "Bierglas Kadans", "3.20"),
    ("KAD-VILT", "Viltjes (100 st.)", "4.00"),
]

# city: postal code, phone zone, representative, streets
CITIES = {
    "Gent": ("9000", "9", "rep", ["Korenmarkt", "Vrijdagmarkt", "Sint-Pietersnieuwstraat", "Dampoortstraat",
                                  "Kortrijksesteenweg", "Oudburg", "Brabantdam"]),
    "Brugge": ("8000", "50", "rep2", ["Steenstraat", "Langestraat", "Smedenstraat", "Katelijnestraat",
                                      "Sint-Jakobsstraat"]),
    "Antwerpen": ("2000", "3", "rep3", ["Oude Koornmarkt", "Kloosterstraat", "Lange Koepoortstraat",
                                        "Nationalestraat", "Hoogstraat", "Vlaamsekaai"]),
    "Leuven": ("3000", "16", "rep3", ["Oude Markt", "Naamsestraat", "Tiensestraat", "Brusselsestraat"]),
    "Aalst": ("9300", "53", "rep", ["Grote Markt", "Kattestraat", "Molenstraat", "Gentsesteenweg"]),
    "Kortrijk": ("8500", "56", "rep2", ["Grote Markt", "Lange Steenstraat", "Doorniksestraat", "Budastraat"]),
    "Mechelen": ("2800", "15", "rep3", ["IJzerenleen", "Bruul", "Befferstraat", "Vismarkt"]),
    "Sint-Niklaas": ("9100", "3", "rep", ["Grote Markt", "Stationsstraat", "Parklaan", "Ankerstraat"]),
    "Oudenaarde": ("9700", "55", "rep2", ["Markt", "Hoogstraat", "Nederstraat", "Tussenbruggen"]),
    "Dendermonde": ("9200", "52", "rep", ["Grote Markt", "Oude Vest", "Brusselsestraat", "Kerkstraat"]),
}

# name, city, segment (cafe, shop, restaurant, wholesaler)
RELATIONS = [
    ("Café De Gouden Leeuw", "Gent", "cafe"),
    ("Café 't Galgenhuisje", "Gent", "cafe"),
    ("Café Den Turk", "Gent", "cafe"),
    ("Taverne De Lindeboom", "Gent", "cafe"),
    ("Herberg De Klokke", "Brugge", "cafe"),
    ("Café De Zwarte Kat", "Brugge", "cafe"),
    ("Café Het Hoekske", "Antwerpen", "cafe"),
    ("Café De Vismijn", "Antwerpen", "cafe"),
    ("Café De Oude Markt", "Leuven", "cafe"),
    ("Bierbar De Vrede", "Leuven", "cafe"),
    ("Café 't Pleintje", "Aalst", "cafe"),
    ("Café Het Molenhof", "Aalst", "cafe"),
    ("Café De Ploeg", "Kortrijk", "cafe"),
    ("Café Sint-Rombout", "Mechelen", "cafe"),
    ("Café De Reynaert", "Sint-Niklaas", "cafe"),
    ("Café 't Schelthof", "Oudenaarde", "cafe"),
    ("Café De Kaai", "Dendermonde", "cafe"),
    ("Jeugdhuis De Schakel", "Dendermonde", "cafe"),
    ("Drankenhandel Van Damme", "Gent", "shop"),
    ("Drankencentrale De Smet", "Aalst", "shop"),
    ("Drankenhandel Verhaeghe", "Kortrijk", "shop"),
    ("Dranken Claeys", "Brugge", "shop"),
    ("Drankenhandel Wouters", "Mechelen", "shop"),
    ("Drankenhandel De Backer", "Dendermonde", "shop"),
    ("Drankenhandel Goossens", "Antwerpen", "shop"),
    ("Buurtwinkel Bij Rita", "Gent", "shop"),
    ("Buurtwinkel 't Winkeltje", "Oudenaarde", "shop"),
    ("Buurtsuper Vermeulen", "Sint-Niklaas", "shop"),
    ("Bierwinkel De Hop", "Leuven", "shop"),
    ("Delicatessen Mertens", "Mechelen", "shop"),
    ("Bierspeciaalzaak 't Gerstekorreltje", "Brugge", "shop"),
    ("Brasserie De Gentse Kaai", "Gent", "restaurant"),
    ("Restaurant 't Vlasbloemeken", "Kortrijk", "restaurant"),
    ("Bistro De Waterput", "Oudenaarde", "restaurant"),
    ("Brasserie Den Dijver", "Brugge", "restaurant"),
    ("Restaurant De Zilveren Pauw", "Antwerpen", "restaurant"),
    ("Bistro Baljuw", "Dendermonde", "restaurant"),
    ("Restaurant Het Begijnhof", "Leuven", "restaurant"),
    ("Brasserie De Schelde", "Antwerpen", "restaurant"),
    ("Eethuis De Kroon", "Aalst", "restaurant"),
    ("Restaurant De Wijngaard", "Mechelen", "restaurant"),
    ("Brasserie Het Stadhuis", "Sint-Niklaas", "restaurant"),
    ("Feestzaal Het Kasteeltje", "Oudenaarde", "restaurant"),
    ("Hotel De Vier Winden", "Brugge", "restaurant"),
    ("Groothandel Drinks Vlaanderen", "Gent", "wholesaler"),
    ("Horeca Depot Leie", "Kortrijk", "wholesaler"),
    ("Drankengroothandel Peeters & Zonen", "Antwerpen", "wholesaler"),
    ("Groothandel De Dender", "Aalst", "wholesaler"),
    ("Horeca Groothandel Waasland", "Sint-Niklaas", "wholesaler"),
    ("Groothandel Brabo Dranken", "Mechelen", "wholesaler"),
]
# a few relations in the Oost-Vlaanderen cities go to the other representative of that team
REP_OVERRIDES = {
    "Café Den Turk": "rep2", "Taverne De Lindeboom": "rep2", "Brasserie De Gentse Kaai": "rep2",
    "Buurtwinkel Bij Rita": "rep2", "Eethuis De Kroon": "rep2", "Bistro Baljuw": "rep2",
}
COMPANY_SUFFIX = {"wholesaler": " NV"}

FIRST_NAMES = [
    "Jan", "Koen", "Bart", "Els", "An", "Sarah", "Tom", "Kris", "Griet", "Lieve", "Dirk", "Marc", "Hilde",
    "Nathalie", "Joris", "Stijn", "Ine", "Evelien", "Jens", "Lien", "Ruben", "Femke", "Wim", "Katrien",
    "Bram", "Sien", "Thomas", "Lore", "Geert", "Annelies",
]
LAST_NAMES = [
    "De Smet", "Janssens", "Peeters", "Willems", "Goossens", "De Vos", "Vermeulen", "Van den Broeck",
    "Mertens", "Van Damme", "De Backer", "Verhaeghe", "Vandenberghe", "Coppens", "Bogaert", "Lambrecht",
    "De Clercq", "Martens", "Van Hecke", "Declercq", "De Wilde", "Verstraete", "Hermans", "Jacobs",
    "Van Acker", "De Meyer", "Pauwels", "Segers",
]
FUNCTIONS = {
    "cafe": ["zaakvoerder", "uitbater", "barverantwoordelijke"],
    "shop": ["zaakvoerder", "aankoper", "winkelverantwoordelijke"],
    "restaurant": ["chef", "zaakvoerder", "zaalverantwoordelijke", "sommelier"],
    "wholesaler": ["aankoper", "commercieel directeur", "logistiek verantwoordelijke", "category manager"],
}

# Remarks per stage and type: (summary, note). {beer} is one of the beers.
BEERS = ["Blond", "Tripel", "Oud Bruin"]
TEXTS = {
    ("lead", "Call"): [
        ("Kennismakingsgesprek", "Eerste telefonisch contact. Staat open voor een lokaal bier op de kaart."),
        ("Afspraak proberen vastleggen", "Zaakvoerder had weinig tijd, terugbellen na het weekend."),
        ("Telefonisch contact na beurs", "Ons gesproken op Horecabeurs Gent; interesse in de {beer}."),
    ],
    ("lead", "E-mail"): [
        ("Brochure en prijslijst gestuurd", "Brochure 2026 en horeca-prijslijst doorgestuurd."),
        ("Voorstelling Brouwerij De Kadans", "Korte voorstelling van de brouwerij en ons gamma gemaild."),
    ],
    ("lead", "Meeting"): [
        ("Eerste bezoek", "Kennismaking ter plaatse. Huidige leverancier: grote brouwerij, contract loopt af."),
        ("Langsgaan met proefflesjes", "Enkele flesjes {beer} achtergelaten om te proeven."),
    ],
    ("lead", "To Do"): [
        ("Klantgegevens aanvullen", "BTW-nummer en leveringsadres nakijken."),
    ],
    ("prospect", "Meeting"): [
        ("Proeverij ter plaatse", "Proefpakket afgegeven, interesse in Tripel op tap."),
        ("Degustatie met het team", "Personeel laten proeven. Oud Bruin valt erg in de smaak bij de chef."),
        ("Bespreking leveringsvoorwaarden", "Leveringsfrequentie en minimale afname besproken."),
    ],
    ("prospect", "Create quote"): [
        ("Offerte opmaken", "Offerte voor {beer} in fles en op vat, inclusief glazen en viltjes."),
        ("Aangepaste offerte", "Volumekorting toegevoegd vanaf 20 bakken per maand."),
    ],
    ("prospect", "Follow-up"): [
        ("Opvolging offerte", "Offerte wordt besproken met de vennoot, antwoord volgende week."),
        ("Navragen reactie op proefpakket", "Positieve reacties van klanten, vooral op de {beer}."),
    ],
    ("prospect", "Call"): [
        ("Offerte telefonisch toelichten", "Vragen over statiegeld en levertermijn beantwoord."),
        ("Terugbellen over proeverij", "Klant wil nog een tweede proeverij met het zaalpersoneel."),
    ],
    ("prospect", "E-mail"): [
        ("Offerte doorgestuurd", "Offerte en algemene voorwaarden gemaild."),
        ("Technische fiche tapinstallatie", "Fiche van de tapinstallatie en koelcel doorgestuurd."),
    ],
    ("customer", "Meeting"): [
        ("Kwartaalbezoek", "Verkoop loopt goed, vooral de {beer}. Nieuwe menukaart in de maak."),
        ("POS-materiaal plaatsen", "Nieuwe drankkaart, tafelstaandertjes en glazen gebracht."),
        ("Evaluatie samenwerking", "Tevreden over leveringen. Vraagt seizoensbier voor de winter."),
        ("Opening terras", "Aanwezig bij de opening van het terras; Blond op tap draait goed."),
    ],
    ("customer", "Call"): [
        ("Bestelling nabellen", "Bestelling van 15 bakken {beer} doorgegeven aan de planning."),
        ("Klacht levering", "Levering een dag te laat; excuses aangeboden, korting op volgende factuur."),
        ("Nieuwe prijzen toelichten", "Prijsaanpassing per 1 januari toegelicht, geen bezwaar."),
    ],
    ("customer", "E-mail"): [
        ("Prijslijst 2026", "Nieuwe prijslijst en promoties voor het voorjaar gestuurd."),
        ("Bevestiging bestelling", "Bestelling en leverdatum bevestigd."),
    ],
    ("customer", "To Do"): [
        ("Tapinstallatie laten nakijken", "Technieker ingepland voor onderhoud van de tapinstallatie."),
        ("Viltjes en glazen leveren", "Extra viltjes en glazen meegeven met de volgende levering."),
        ("Factuur nakijken", "Openstaande factuur van vorige maand opvolgen met de boekhouding."),
    ],
    ("customer", "Upload Document"): [
        ("Leveringsovereenkomst opladen", "Getekende leveringsovereenkomst opgeladen."),
        ("Foto's van de nieuwe toog", "Foto's van de toog met Kadans-branding voor de website."),
    ],
    ("customer", "Follow-up"): [
        ("Opvolging rotatie", "Rotatie van de Oud Bruin opvolgen; eventueel naar kleiner formaat."),
    ],
}
# the remarks on the activity that makes the status change
TRANSITION_TEXTS = {
    "prospect": [
        ("Proeverij en proefpakket", "Proefpakket afgegeven, interesse in Tripel op tap."),
        ("Degustatie met zaakvoerder", "Enthousiast over de Oud Bruin; wil een offerte voor fles en vat."),
        ("Bezoek met staalflessen", "Staalflessen achtergelaten. Wil Kadans Blond proberen in de zomer."),
    ],
    "customer": [
        ("Contract besproken en getekend", "Leveringsovereenkomst getekend, eerste levering volgende week."),
        ("Eerste bestelling", "Eerste bestelling geplaatst: Blond op vat en Tripel in fles."),
        ("Akkoord op offerte", "Offerte goedgekeurd; Tripel komt op de drankkaart."),
    ],
    "lost": [
        ("Geen interesse meer", "Kiest voor een andere brouwerij wegens exclusiviteitscontract."),
        ("Zaak sluit de deuren", "Zaakvoerder stopt eind deze maand; overname nog onzeker."),
        ("Prijs te hoog", "Vindt onze prijs te hoog tegenover het huidige merk. Later opnieuw proberen."),
    ],
    ("customer", "Upload Document"): [
        ("Getekende leveringsovereenkomst", "Leveringsovereenkomst getekend terug ontvangen en opgeladen."),
        ("Getekende offerte opladen", "Offerte voor akkoord getekend; eerste levering ingepland."),
    ],
}
STAGE_TYPES = {
    "lead": ["Call", "Call", "E-mail", "E-mail", "Meeting", "To Do"],
    "prospect": ["Meeting", "Meeting", "Create quote", "Follow-up", "Call", "E-mail"],
    "customer": ["Meeting", "Meeting", "Call", "Call", "E-mail", "To Do", "Upload Document", "Follow-up"],
}
CANCEL_REASONS = [
    "Zaakvoerder ziek, nieuwe afspraak volgt.", "Klant heeft afgezegd.", "Dubbel ingepland.",
    "Zaak gesloten wegens verbouwingen.",
]
TIMED = {"Call", "Meeting"}


@dataclass
class Step:
    day: datetime.date
    type_name: str
    stage: str  # the relation's status before this activity
    status: str = "done"  # done, planned or cancelled
    to_status: str | None = None
    to_priority: str | None = None
    extra: dict = field(default_factory=dict)


class _Out:
    def __init__(self, stdout):
        self.stdout = stdout

    def __call__(self, text: str = "") -> None:
        if self.stdout is not None:
            self.stdout.write(text if text.endswith("\n") else text + "\n")


def is_loaded() -> bool:
    return User.objects.filter(username="admin").exists() and Relation.objects.filter(name=MARKER_RELATION).exists()


def load_demo_data(*, stdout=None) -> bool:
    """Load the demo; False (and nothing written) when it was loaded before."""
    out = _Out(stdout)
    if is_loaded():
        out("Demo data already loaded.")
        return False
    with transaction.atomic():
        _Loader(out).run()
    return True


def logins_table() -> str:
    """The demo logins, for the command (and ./dev.sh run) to show."""
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD})", ""]
    lines.append(f"  {'username':<10} {'role':<15} {'password':<12} {'name':<16} team")
    lines.append(f"  {'-' * 10} {'-' * 15} {'-' * 12} {'-' * 16} {'-' * 15}")
    users = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in USERS]).select_related("team")}
    for username, first, last, role, team, _staff in USERS:
        user = users.get(username)
        name = user.get_full_name() if user else f"{first} {last}"
        team_name = (user.team.name if user and user.team else team) or "-"
        role_value = user.role if user else role
        lines.append(f"  {username:<10} {role_value:<15} {DEMO_PASSWORD:<12} {name:<16} {team_name}")
    return "\n".join(lines) + "\n"


class _Loader:
    def __init__(self, out):
        self.out = out
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.statuses = {s.code: s for s in BusinessStatus.objects.all()}
        self.priorities = {p.name: p for p in Priority.objects.all()}
        self.types = {t.name: t for t in ActivityType.objects.all()}
        missing = {"lead", "prospect", "customer", "lost"} - set(self.statuses)
        missing |= {"A", "B", "C"} - set(self.priorities)
        missing |= {n for names in STAGE_TYPES.values() for n in names} - set(self.types)
        if missing:
            raise RuntimeError(f"the default statuses, priorities and action types are missing: {sorted(missing)}")
        self.counts = {"relations": 0, "contacts": 0, "activities": 0}

    # ---- users, teams, products

    def users(self) -> None:
        password = make_password(DEMO_PASSWORD)  # hashed once: the same password for all demo users
        self.by_name: dict[str, User] = {}
        for username, first, last, role, _team, staff in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults=dict(
                    first_name=first, last_name=last, role=role, email=f"{username}@brouwerijdekadans.be",
                    language="nl", time_zone="Europe/Brussels", is_staff=staff, is_superuser=staff,
                    password=password,
                ),
            )
            self.by_name[username] = user
        for team_name, manager in TEAM_MANAGERS.items():
            team, _ = Team.objects.get_or_create(name=team_name)
            team.manager = self.by_name[manager]
            team.save()
            for username, *_rest, t, _staff in USERS:
                if t == team_name and self.by_name[username].team_id is None:
                    User.objects.filter(pk=self.by_name[username].pk).update(team=team)
                    self.by_name[username].team = team

    def products(self) -> None:
        self.products_by_code = {}
        for code, name, price in PRODUCTS:
            product = Product.objects.filter(code=code).first()
            if product is None:
                product = Product(code=code, name=name, cost_price=Decimal(price))
                product.full_clean()
                product.save()
            self.products_by_code[code] = product

    # ---- relations and contacts

    @staticmethod
    def _vat(rng: random.Random) -> str:
        base = rng.randrange(2_000_000, 9_999_999)  # 0 + 7 digits; the check is 97 - (base mod 97)
        digits = f"0{base:07d}{97 - base % 97:02d}"
        return f"BE{digits[:4]}.{digits[4:7]}.{digits[7:]}"

    def _phone(self, zone: str) -> str:
        n = self.rng
        if len(zone) == 1:
            return f"+32 {zone} {n.randint(200, 399)} {n.randint(10, 99)} {n.randint(10, 99)}"
        return f"+32 {zone} {n.randint(20, 89)} {n.randint(10, 99)} {n.randint(10, 99)}"

    def _mobile(self) -> str:
        n = self.rng
        return f"+32 4{n.choice('7789')}{n.randint(0, 9)} {n.randint(10, 99)} {n.randint(10, 99)} {n.randint(10, 99)}"

    def relation(self, name: str, city: str, segment: str, status: str, priority: str, admin: User) -> Relation:
        rng = self.rng
        postal, zone, rep, streets = CITIES[city]
        rep = REP_OVERRIDES.get(name, rep)
        domain = slugify(name).replace("-", "") + ".be"
        small = segment == "shop" and name.startswith(("Buurt", "Delicatessen"))
        relation = relation_create(
            user=admin,
            name=name + COMPANY_SUFFIX.get(segment, ""),
            vat_number=self._vat(rng),
            street=f"{rng.choice(streets)} {rng.randint(1, 180)}",
            postal_code=postal, city=city, country="BE",
            phone=self._phone(zone),
            email=f"{slugify(name.split()[-1]).replace('-', '')}@telenet.be" if small else f"info@{domain}",
            website="" if small else f"https://www.{domain}",
            representative=self.by_name[rep],
            business_status=self.statuses[status], priority=self.priorities[priority],
            notes={
                "cafe": "Café met een vaste klantenkring; bier op tap en in fles.",
                "shop": "Verkoopt aan particulieren; interesse in geschenkdozen voor de feestdagen.",
                "restaurant": "Keuken met streekproducten; bier-spijscombinaties op de kaart.",
                "wholesaler": "Levert aan horeca in de regio; afname per pallet.",
            }[segment],
        )
        self.counts["relations"] += 1
        used = set()
        for function in rng.sample(FUNCTIONS[segment], rng.choice([1, 1, 2, 2, 3])):
            first = rng.choice(FIRST_NAMES)
            last = rng.choice(LAST_NAMES)
            while (first, last) in used:
                first = rng.choice(FIRST_NAMES)
            used.add((first, last))
            email_domain = f"{slugify(name.split()[-1]).replace('-', '')}.be" if small else domain
            contact_create(
                relation=relation, first_name=first, last_name=last, function=function,
                email=f"{slugify(first)}.{slugify(last).replace('-', '')}@{email_domain}", phone=self._mobile(),
            )
            self.counts["contacts"] += 1
        return relation

    # ---- the history of one relation

    @staticmethod
    def _weekday(day: datetime.date, backwards: bool) -> datetime.date:
        while day.weekday() >= 5:
            day += datetime.timedelta(days=-1 if backwards else 1)
        return day

    def plan_history(self, final: str, created: datetime.date, priority: str) -> tuple[list[Step], str]:
        """The steps of one relation, oldest first, with the status path leading to `final`; returns the
        steps and the status it was created with."""
        rng = self.rng
        existing_customer = final == "customer" and rng.random() < 0.35
        if existing_customer:
            path = ["customer"]
        elif final == "lead":
            path = ["lead"]
        elif final == "prospect":
            path = ["lead", "prospect"]
        elif final == "customer":
            path = ["lead", "prospect", "customer"]
        else:
            path = rng.choice([["lead", "lost"], ["lead", "prospect", "lost"]])
        transitions = path[1:]
        # past days: distinct weekdays between the creation date and two weeks ago (the last two weeks
        # get their own activities below, some left overdue)
        span = (self.today - created).days
        n_past = rng.randint(3, 6)
        n_past = max(n_past, len(transitions) + 1)
        days = sorted({
            self._weekday(created + datetime.timedelta(days=rng.randint(1, max(span - 15, 2))), backwards=True)
            for _ in range(n_past * 2)
        })
        last_day = self.today - datetime.timedelta(days=14)
        days = [d for d in days if created < d < last_day]
        days = days if len(days) <= n_past else sorted(rng.sample(days, n_past))
        while len(days) < len(transitions) + 1:  # a short history still needs its status changes
            day = created + datetime.timedelta(days=rng.randint(1, max((last_day - created).days - 1, 1)))
            days = sorted(set(days) | {day})
        # which past steps change the status: spread over the history, the last one not too early
        positions = sorted(rng.sample(range(1, len(days)), len(transitions))) if transitions else []
        if final == "lost" and positions:
            positions[-1] = len(days) - 1  # the last contact is the one where it was lost
        steps = []
        stage = path[0]
        change_at = dict(zip(positions, transitions, strict=True))
        for i, day in enumerate(days):
            if i in change_at:
                to = change_at[i]
                type_name = {"prospect": "Meeting", "customer": rng.choice(["Meeting", "Upload Document"]),
                             "lost": rng.choice(["Call", "Meeting"])}[to]
                to_priority = {"prospect": rng.choice(["B", "A"]), "customer": rng.choice(["A", "A", "B"]),
                               "lost": "C"}[to]
                if to == "customer" and priority == "A":
                    to_priority = "A"  # a won customer does not drop in priority
                if to_priority == priority:
                    to_priority = None
                else:
                    priority = to_priority
                steps.append(Step(day, type_name, stage, to_status=to, to_priority=to_priority))
                stage = to
            else:
                status = "cancelled" if rng.random() < 0.06 else "done"
                steps.append(Step(day, rng.choice(STAGE_TYPES.get(stage, STAGE_TYPES["lead"])), stage, status))
        if final != "lost":
            # the last two weeks: done, or still open (overdue)
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                day = self._weekday(self.today - datetime.timedelta(days=rng.randint(1, 13)), backwards=True)
                status = "planned" if rng.random() < 0.4 else "done"
                steps.append(Step(day, rng.choice(STAGE_TYPES[stage]), stage, status))
            # something to do today, so "today" is never empty in the demo
            if rng.random() < 0.15:
                steps.append(Step(self.today, rng.choice(STAGE_TYPES[stage]), stage, "planned"))
            # the next two months: planned (today counts too)
            for _ in range(rng.choice([1, 1, 1, 2, 2])):
                day = self._weekday(self.today + datetime.timedelta(days=rng.randint(0, 60)), backwards=False)
                steps.append(Step(day, rng.choice(STAGE_TYPES[stage]), stage, "planned"))
        steps.sort(key=lambda s: (s.day, s.status != "done"))
        return steps, path[0]

    def _texts(self, step: Step) -> tuple[str, str]:
        rng = self.rng
        if step.to_status:
            options = TRANSITION_TEXTS.get((step.to_status, step.type_name)) or TRANSITION_TEXTS[step.to_status]
        else:
            options = TEXTS.get((step.stage, step.type_name)) or TEXTS[("lead", step.type_name)]
        summary, note = rng.choice(options)
        beer = rng.choice(BEERS)
        summary, note = summary.format(beer=beer), note.format(beer=beer)
        if step.status == "planned":
            note = ""  # a plan has no report yet
        return summary, note

    def _period(self, step: Step):
        """Calls and meetings happen between 09:00 and 17:00; the rest take the whole day."""
        if step.type_name not in TIMED:
            return step.day, None, True
        rng = self.rng
        minutes = rng.choice([15, 30]) if step.type_name == "Call" else rng.choice([45, 60, 90])
        slot = rng.randrange(9 * 60, 17 * 60 - minutes + 1, 15)
        start = datetime.datetime.combine(step.day, datetime.time(slot // 60, slot % 60), tzinfo=self.tz)
        return start, start + datetime.timedelta(minutes=minutes), False

    def _cost_lines(self, step: Step) -> list[CostLineData]:
        if step.status != "done" or step.type_name != "Meeting":
            return []
        rng = self.rng
        p = self.products_by_code
        lines = []
        if step.to_status == "prospect" or (step.stage == "lead" and rng.random() < 0.5):
            lines.append(CostLineData(product=p[rng.choice(["KAD-BL33", "KAD-TR33"])],
                                      quantity=Decimal(rng.choice([6, 12, 24]))))
            if rng.random() < 0.5:
                lines.append(CostLineData(product=p["KAD-OB75"], quantity=Decimal(rng.choice([2, 3, 6]))))
        if step.stage == "customer" and rng.random() < 0.4:
            lines.append(CostLineData(product=p[rng.choice(["KAD-GLAS", "KAD-VILT", "KAD-GD4"])],
                                      quantity=Decimal(rng.choice([1, 2, 6, 12]))))
        if rng.random() < 0.25:
            lines.append(CostLineData(description="Lunch met zaakvoerder",
                                      unit_price=Decimal(rng.randrange(2800, 6500, 50)) / 100))
        if rng.random() < 0.35:
            lines.append(CostLineData(description="Parkeerticket",
                                      unit_price=Decimal(rng.choice([250, 320, 450, 600])) / 100))
        return lines

    def history(self, relation: Relation, steps: list[Step]) -> None:
        rng = self.rng
        rep = relation.representative
        team_users = [u for u in self.by_name.values() if u.team_id == rep.team_id and u.pk != rep.pk]
        contacts = list(relation.contacts.all())
        for step in steps:
            summary, note = self._texts(step)
            start, end, all_day = self._period(step)
            participants = []
            if step.type_name == "Meeting" and team_users and (step.to_status == "customer" or rng.random() < 0.15):
                participants = [rng.choice(team_users)]
            activity = activity_create(
                user=rep, relation=relation, activity_type=self.types[step.type_name],
                start=start, end=end, all_day=all_day,
                contact=rng.choice(contacts) if contacts and rng.random() < 0.75 else None,
                representative=rep, participants=participants,
                status="done" if step.status == "done" else "planned",
                summary=summary, note=note,
                new_status=self.statuses[step.to_status] if step.to_status else None,
                new_priority=self.priorities[step.to_priority] if step.to_priority else None,
                cost_lines=self._cost_lines(step),
            )
            if step.status == "cancelled":
                activity_cancel(activity=activity, user=rep, reason=rng.choice(CANCEL_REASONS))
            _backdate(activity, step.day, self.tz)
            self.counts["activities"] += 1

    # ---- all of it

    def run(self) -> None:
        self.users()
        self.products()
        admin = self.by_name["admin"]
        rng = self.rng
        finals = ["lead"] * 11 + ["prospect"] * 13 + ["customer"] * 19 + ["lost"] * 7
        rng.shuffle(finals)
        for (name, city, segment), final in zip(RELATIONS, finals, strict=True):
            # a relation's first priority: what the representative guessed when it came in
            priority = {"customer": rng.choice(["A", "B"]), "lead": rng.choice(["B", "C", "C"])}.get(
                final, rng.choice(["B", "C"])
            )
            # it entered the funnel 2 to 13 months ago (leads are usually newer)
            age = rng.randint(30, 200) if final == "lead" else rng.randint(120, 390)
            created = self._weekday(self.today - datetime.timedelta(days=age), backwards=True)
            # created with the first status of its path; its activities walk it to `final`
            steps, first_status = self.plan_history(final, created, priority)
            relation = self.relation(name, city, segment, first_status, priority, admin)
            _backdate_relation(relation, created, self.tz)
            self.history(relation, steps)
        self.out(
            f"Demo data loaded: Brouwerij De Kadans — {self.counts['relations']} relations, "
            f"{self.counts['contacts']} contacts, {self.counts['activities']} activities, "
            f"{len(self.products_by_code)} products, {len(self.by_name)} users."
        )


# ---- the one shortcut: dates in the past ---------------------------------------------------------
# The services stamp "now" on what they record (creation, completion, cancellation, status changes).
# Demo history needs those facts on the dates they happened, so after each service call the stamps are
# moved back with a queryset update. Only demo data does this; the application never rewrites history.


def _backdate_relation(relation: Relation, day: datetime.date, tz) -> None:
    at = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=tz)
    Relation.objects.filter(pk=relation.pk).update(created_at=at)
    StatusChange.objects.filter(relation=relation, activity__isnull=True).update(at=at)


def _backdate(activity: Activity, day: datetime.date, tz) -> None:
    """Put the stamps of an activity (and the status changes it made) on the day it happened."""
    today = timezone.localdate()
    if day >= today and activity.status == Activity.Status.PLANNED:
        return  # planned from now on: created today, as it would be
    # done at the end of a timed activity, else at the end of the working day
    happened = activity.end if not activity.all_day else datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=tz)
    created = happened - datetime.timedelta(days=7) if activity.status == Activity.Status.PLANNED else happened
    update = {"created_at": created, "updated_at": happened}
    if activity.status == Activity.Status.DONE:
        update["done_at"] = happened
        StatusChange.objects.filter(activity=activity).update(at=happened)
    elif activity.status == Activity.Status.CANCELLED:
        update["cancelled_at"] = happened - datetime.timedelta(days=1)
        update["created_at"] = happened - datetime.timedelta(days=10)
    Activity.objects.filter(pk=activity.pk).update(**update)
