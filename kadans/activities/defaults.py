"""A fresh install offers the usual statuses, priorities and action types, with the example chains of
Odoo's "activities for sales teams" page; all of them are editable (and deletable while unused)."""

STATUSES = [
    # code, name, order, won, lost, default
    ("lead", "Lead", 10, False, False, True),
    ("prospect", "Prospect", 20, False, False, False),
    ("customer", "Customer", 30, True, False, False),
    ("lost", "Lost", 40, False, True, False),
]
PRIORITIES = [("A", 10, 30), ("B", 20, 60), ("C", 30, 90)]
# name, kind, colour, order, all-day by default follows the kind (calls and meetings are timed)
TYPES = [
    ("E-mail", "email", "#0ea5e9", 10),
    ("Call", "call", "#22c55e", 20),
    ("Meeting", "meeting", "#a855f7", 30),
    ("To Do", "todo", "#64748b", 40),
    ("Upload Document", "upload", "#f59e0b", 50),
    ("Request Signature", "signature", "#14b8a6", 55),
    ("Create quote", "todo", "#ef4444", 60),
    ("Follow-up", "reminder", "#ec4899", 70),
]


def load_defaults(apps) -> None:
    """Create the default statuses, priorities and types where none exist yet (idempotent)."""
    BusinessStatus = apps.get_model("relations", "BusinessStatus")
    Priority = apps.get_model("relations", "Priority")
    ActivityType = apps.get_model("activities", "ActivityType")
    if not BusinessStatus.objects.exists():
        for code, name, order, won, lost, default in STATUSES:
            BusinessStatus.objects.create(
                code=code, name=name, order=order, is_won=won, is_lost=lost, is_default=default
            )
    if not Priority.objects.exists():
        for name, order, cadence in PRIORITIES:
            Priority.objects.create(name=name, order=order, cadence_days=cadence)
    if ActivityType.objects.exists():
        return
    types = {
        name: ActivityType.objects.create(name=name, kind=kind, color=color, order=order)
        for name, kind, color, order in TYPES
    }
    # E-mail suggests a call or a meeting 2 days after the previous deadline.
    email = types["E-mail"]
    email.chaining, email.delay_count, email.delay_unit, email.delay_from = "suggest", 2, "days", "deadline"
    email.save()
    email.suggested_types.set([types["Call"], types["Meeting"]])
    # Call and meeting trigger "create quote"; the quote triggers a follow-up within 5 days.
    for name in ("Call", "Meeting"):
        t = types[name]
        t.chaining, t.triggered_type, t.delay_count = "trigger", types["Create quote"], 1
        t.delay_unit, t.delay_from = "days", "completion"
        t.save()
    quote = types["Create quote"]
    quote.chaining, quote.triggered_type, quote.delay_count = "trigger", types["Follow-up"], 5
    quote.delay_unit, quote.delay_from = "days", "completion"
    quote.save()
    # Upload document suggests a signature request or a meeting.
    upload = types["Upload Document"]
    upload.chaining, upload.delay_count, upload.delay_unit, upload.delay_from = "suggest", 3, "days", "completion"
    upload.save()
    upload.suggested_types.set([types["Request Signature"], types["Meeting"]])
