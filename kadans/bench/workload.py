"""The benchmark's workload generator: deterministic CSV files of a CRM's users, relations, contacts and
activities at a scale S, in the benchmark's format (FILES, the loader's own table of it; README,
"Benchmark"). Standard library only besides that table; `manage.py bench_generate` is its command.

Volumes at scale S: users max(3, round(20·S)) (rep01, rep02, …), organisations 10,000·S, contacts two per
organisation, activities 200,000·S, so each representative has about 10,000 activities whatever S is.
Of the activities about 70 % are done in the three years before the anchor, 25 % planned in the three
months from it and 5 % planned but overdue (their day in the 60 days before it); 30 % are all-day
(00:00 to 23:59 of their day), the others last 5 minutes to 2 hours between 08:00 and 19:45.
Each has 0–2 extra participants (60 / 30 / 10 %), never its owner; half the done ones have 1–3 cost
lines (60 % a product at its cost price, the others an expense). About two thirds of the relations
change status once or twice, from `lead` to prospect or lost, and from prospect to customer or lost,
each change made by a done activity of that relation.

The anchor is the data's "now" (UTC midnight). Same seed, scale, anchor and heavy representative give
byte-identical files. Each part of the data draws from its own random stream, so the users, relations
and contacts of a heavy-representative workload are those of the ordinary one.

heavy_rep: that representative (the benchmark logs in as rep01) gets heavy_factor times the usual
number of activities (and with them participations, cost lines and status changes); every other
representative keeps the usual number, and all shares above stay the same: only the total grows, by
(heavy_factor - 1) representatives' worth.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import datetime
import itertools
import random
from pathlib import Path

from kadans.integrations.workload import COLUMNS

FILES = COLUMNS  # the format the loader reads (kadans.integrations.workload), one table for both
DEFAULT_ANCHOR = datetime.date(2026, 11, 22)
HEAVY_REP = "rep01"
HEAVY_FACTOR = 10

# the distributions (shares of the activities unless said otherwise)
DONE, OVERDUE = 0.70, 0.05  # the rest (25 %) is planned ahead
DONE_DAYS, PLANNED_DAYS, OVERDUE_DAYS = 3 * 365, 91, 60
ALL_DAY = 0.30
TYPES = {"call": 35, "email": 25, "meeting": 25, "todo": 15}  # weights
LABELS = {"call": "Call", "email": "E-mail", "meeting": "Meeting", "todo": "To do"}
OWN_RELATION = 0.90  # the activity's relation is one of its owner's; else anyone's
WITH_CONTACT = 0.70
WITH_DESCRIPTION = 0.40
PARTICIPANTS = (60, 30, 10)  # weights of 0, 1, 2 extra participants
DURATIONS = {5: 6, 10: 6, 15: 6, 30: 5, 45: 5, 60: 3, 90: 2, 120: 1}  # minutes: weights
COSTED = 0.50  # of the done activities
PRODUCT_LINE = 0.60  # of the cost lines; the others are expenses
EXPENSES = ("Lunch", "Parking", "Fuel", "Train ticket", "Samples shipping")
PRODUCTS = 40
CHANGED = 0.67  # of the relations (with a done activity): a first change from lead
TO_PROSPECT = 0.85  # of first changes; the others go to lost
PROSPECT_MOVES = 0.45  # of prospects (with a later done activity): a second change
TO_CUSTOMER = 0.85  # of second changes; the others go to lost

FIRST_NAMES = ("Anna", "Bram", "Camille", "Daan", "Elise", "Finn", "Greet", "Hugo", "Ines", "Jules", "Katrien",
               "Lucas", "Marie", "Noor", "Olivier", "Pieter", "Quinten", "Roos", "Sofie", "Thomas", "Ursula",
               "Victor", "Wout", "Yasmine", "Zoë")
LAST_NAMES = ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
              "De Smet", "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Leroy", "Renard",
              "Van Damme", "Hermans")
NAME_STEMS = ("Brouwerij", "Bakkerij", "Café", "Hotel", "Bistro", "Slagerij", "Wijnhuis", "Traiteur", "Brasserie",
              "Restaurant", "Delicatessen", "Kaasmakerij", "Koffiebranderij", "Chocolaterie", "Foodservice")
NAME_WORDS = ("De Kroon", "Het Anker", "Sint-Pieter", "De Molen", "Den Hoorn", "La Source", "Le Coq", "De Zwaan",
              "Zonneveld", "Van Eyck", "Noordzee", "De Linde", "Ter Duinen", "Vieux Marché", "Het Gulden Vlies")
CITIES = ("Antwerpen", "Gent", "Brugge", "Leuven", "Mechelen", "Hasselt", "Brussel", "Namur", "Liège",
          "Kortrijk", "Oostende", "Aalst", "Genk", "Mons", "Lille", "Maastricht")


@dataclasses.dataclass(frozen=True)
class Volumes:
    users: int
    organisations: int
    contacts: int
    activities: int  # without a heavy representative's extra ones


def volumes(scale: float) -> Volumes:
    if scale <= 0:
        raise ValueError("the scale must be positive")
    organisations = max(1, round(10_000 * scale))
    return Volumes(users=max(3, round(20 * scale)), organisations=organisations, contacts=2 * organisations,
                   activities=round(200_000 * scale))


def write_workload(
    out_dir: Path | str, *, scale: float, seed: int = 42, anchor: datetime.date = DEFAULT_ANCHOR,
    heavy_rep: str | None = None, heavy_factor: int = HEAVY_FACTOR,
) -> dict[str, int]:
    """Write the eight CSV files into out_dir (created when missing; status_changes.csv last, so its
    presence means a complete set). Returns the counts: rows per file and done/planned/overdue/all_day."""
    return _Writer(Path(out_dir), scale=scale, seed=seed, anchor=anchor, heavy_rep=heavy_rep,
                   heavy_factor=heavy_factor).write()


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _ascii(name: str) -> str:
    return name.lower().replace(" ", "").replace("-", "").replace("ë", "e").replace("é", "e").replace("è", "e")


class _Writer:
    def __init__(self, out: Path, *, scale, seed, anchor, heavy_rep, heavy_factor):
        self.out = out
        self.v = volumes(scale)
        self.seed = seed
        if isinstance(anchor, datetime.datetime):
            raise TypeError("the anchor is a date (its UTC midnight is the data's now)")
        self.anchor = anchor
        if heavy_factor < 1:
            raise ValueError("the heavy representative's factor is at least 1")
        self.usernames = [f"rep{i:02d}" for i in range(1, self.v.users + 1)]
        if heavy_rep is not None and heavy_rep not in self.usernames:
            raise ValueError(f"no representative {heavy_rep!r} in this workload (rep01–{self.usernames[-1]})")
        self.heavy = self.usernames.index(heavy_rep) + 1 if heavy_rep is not None else None
        self.heavy_factor = heavy_factor
        self.counts: dict[str, int] = {}

    def rng(self, part: str) -> random.Random:
        return random.Random(f"kadans-workload:{self.seed}:{part}")

    def csv(self, name: str, rows) -> int:
        count = 0
        with (self.out / name).open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(FILES[name])
            for row in rows:
                writer.writerow(row)
                count += 1
        self.counts[name] = count
        return count

    def write(self) -> dict[str, int]:
        self.out.mkdir(parents=True, exist_ok=True)
        # an earlier, complete set must not look complete while this one is half written
        (self.out / "status_changes.csv").unlink(missing_ok=True)
        self.csv("users.csv", self.users())
        self.csv("products.csv", self.products())
        self.csv("organisations.csv", self.organisations())
        self.csv("contacts.csv", self.contacts())
        self.activities()
        self.csv("status_changes.csv", self.status_changes())
        return dict(self.counts)

    # ---- users, products, relations, contacts ----------------------------------------------------

    def users(self):
        for i, username in enumerate(self.usernames):
            first = FIRST_NAMES[i % len(FIRST_NAMES)]
            last = LAST_NAMES[(i * 7 + i // len(FIRST_NAMES)) % len(LAST_NAMES)]
            yield i + 1, username, first, last, f"{username}@example.com"

    def products(self):
        rnd = self.rng("products")
        self.product_rows = []
        for i in range(1, PRODUCTS + 1):
            row = (i, f"Sample kit {i:02d}", _money(rnd.randrange(100, 4001)))
            self.product_rows.append(row)
            yield row

    def organisations(self):
        rnd = self.rng("organisations")
        width = max(5, len(str(self.v.organisations)))
        self.org_name = [""]  # org id -> its name (index 0 unused)
        self.orgs_of: dict[int, list[int]] = {u: [] for u in range(1, self.v.users + 1)}
        for org in range(1, self.v.organisations + 1):
            rep = rnd.randrange(self.v.users) + 1
            name = f"{rnd.choice(NAME_STEMS)} {rnd.choice(NAME_WORDS)} {org:0{width}d}"
            self.org_name.append(name)
            self.orgs_of[rep].append(org)
            phone = f"+32 {rnd.randrange(2, 90)} {rnd.randrange(100_000, 1_000_000)}"
            yield org, name, rep, rnd.choice(CITIES), phone, f"info@org{org:0{width}d}.example.com"

    def contacts(self):
        rnd = self.rng("contacts")
        contact = 0
        for org in range(1, self.v.organisations + 1):
            for _ in range(2):
                contact += 1
                first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
                email = f"{_ascii(first)}.{_ascii(last)}.{contact}@example.com"
                yield contact, org, first, last, email, f"+32 4{rnd.randrange(70, 100)} {rnd.randrange(10**5, 10**6)}"

    # ---- activities, participants, cost lines ----------------------------------------------------

    def activities(self) -> None:
        rnd = self.rng("activities")
        pick = self.rng("status-changes")  # the done activities that change a relation's status
        v = self.v
        n_users = v.users
        total = v.activities
        owner_weights = [1] * n_users
        if self.heavy is not None:
            owner_weights[self.heavy - 1] = self.heavy_factor
            total += round((self.heavy_factor - 1) * v.activities / n_users)
        owner_cum = list(itertools.accumulate(owner_weights))
        owner_top = owner_cum[-1]
        types = list(TYPES)
        type_cum = list(itertools.accumulate(TYPES.values()))
        durations = list(DURATIONS)
        duration_cum = list(itertools.accumulate(DURATIONS.values()))
        part_cum = list(itertools.accumulate(PARTICIPANTS))
        day = {}  # day offset from the anchor -> "YYYY-MM-DD"
        for offset in range(-DONE_DAYS, PLANNED_DAYS):
            day[offset] = (self.anchor + datetime.timedelta(days=offset)).isoformat()
        org_name, orgs_of = self.org_name, self.orgs_of
        n_orgs = v.organisations
        # per relation, two done activities drawn evenly (a reservoir): (day offset, minute, id, owner)
        self.reservoir: dict[int, list] = {}
        seen: dict[int, int] = {}
        counts = dict.fromkeys(("done", "planned", "overdue", "all_day"), 0)
        line_id = 0
        n_parts = 0
        with (self.out / "activities.csv").open("w", newline="", encoding="utf-8") as fa, \
                (self.out / "activity_participants.csv").open("w", newline="", encoding="utf-8") as fp, \
                (self.out / "cost_lines.csv").open("w", newline="", encoding="utf-8") as fc:
            wa, wp, wc = (csv.writer(f, lineterminator="\n") for f in (fa, fp, fc))
            wa.writerow(FILES["activities.csv"])
            wp.writerow(FILES["activity_participants.csv"])
            wc.writerow(FILES["cost_lines.csv"])
            for aid in range(1, total + 1):
                owner = bisect.bisect_right(owner_cum, rnd.randrange(owner_top)) + 1
                mine = orgs_of[owner]
                if mine and rnd.random() < OWN_RELATION:
                    org = mine[rnd.randrange(len(mine))]
                else:
                    org = rnd.randrange(n_orgs) + 1
                r = rnd.random()
                if r < DONE:
                    status, offset = "done", -rnd.randrange(1, DONE_DAYS + 1)
                elif r < DONE + OVERDUE:
                    status, offset = "overdue", -rnd.randrange(1, OVERDUE_DAYS + 1)
                else:
                    status, offset = "planned", rnd.randrange(PLANNED_DAYS)
                counts[status] += 1
                kind = types[bisect.bisect_right(type_cum, rnd.randrange(type_cum[-1]))]
                date = day[offset]
                if rnd.random() < ALL_DAY:
                    all_day = "1"
                    counts["all_day"] += 1
                    minute = 0
                    start, end = f"{date}T00:00:00Z", f"{date}T23:59:00Z"
                else:
                    all_day = "0"
                    minute = rnd.randrange(8, 18) * 60 + 15 * rnd.randrange(4)
                    stop = minute + durations[bisect.bisect_right(duration_cum, rnd.randrange(duration_cum[-1]))]
                    start = f"{date}T{minute // 60:02d}:{minute % 60:02d}:00Z"
                    end = f"{date}T{stop // 60:02d}:{stop % 60:02d}:00Z"
                contact = 2 * org - rnd.randrange(2) if rnd.random() < WITH_CONTACT else ""
                label = LABELS[kind]
                description = f"{label} notes, {org_name[org]}" if rnd.random() < WITH_DESCRIPTION else ""
                wa.writerow((aid, kind, f"{label} {org_name[org]} - {aid}", start, end, all_day,
                             "done" if status == "done" else "planned", owner, org, contact, description))
                k = bisect.bisect_right(part_cum, rnd.randrange(part_cum[-1]))
                if k:
                    others = rnd.sample(range(1, n_users), k)  # 1..n_users-1, shifted past the owner
                    for other in sorted(u if u < owner else u + 1 for u in others):
                        wp.writerow((aid, other))
                    n_parts += k
                if status == "done":
                    if rnd.random() < COSTED:
                        for _ in range(rnd.randrange(1, 4)):
                            line_id += 1
                            if rnd.random() < PRODUCT_LINE:
                                product, name, cost = self.product_rows[rnd.randrange(PRODUCTS)]
                                wc.writerow((line_id, aid, name, product, rnd.randrange(1, 13), cost))
                            else:
                                wc.writerow((line_id, aid, rnd.choice(EXPENSES), "", 1,
                                             _money(rnd.randrange(300, 8001))))
                    n = seen.get(org, 0) + 1
                    seen[org] = n
                    item = (offset, minute, aid, owner)
                    if n <= 2:
                        self.reservoir.setdefault(org, []).append(item)
                    else:
                        j = pick.randrange(n)
                        if j < 2:
                            self.reservoir[org][j] = item
        self.counts.update({"activities.csv": total, "activity_participants.csv": n_parts,
                            "cost_lines.csv": line_id, **counts})

    # ---- status changes --------------------------------------------------------------------------

    def status_changes(self):
        rnd = self.rng("status-changes-outcome")
        changes = []
        for org in range(1, self.v.organisations + 1):
            done = sorted(self.reservoir.get(org, ()))
            if not done or rnd.random() >= CHANGED:
                continue
            first = done[0]
            to = "prospect" if rnd.random() < TO_PROSPECT else "lost"
            changes.append((first, org, "lead", to))
            # a second change needs a later activity (two on the same minute: none)
            if to == "prospect" and len(done) == 2 and done[1][:2] > first[:2] and rnd.random() < PROSPECT_MOVES:
                changes.append((done[1], org, "prospect", "customer" if rnd.random() < TO_CUSTOMER else "lost"))
        changes.sort(key=lambda c: (c[0][0], c[0][1], c[1]))
        for (offset, minute, aid, owner), org, old, new in changes:
            at = self.anchor + datetime.timedelta(days=offset)
            yield org, aid, owner, old, new, f"{at.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00Z"
