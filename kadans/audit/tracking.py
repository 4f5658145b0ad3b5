"""Which models the audit trail follows, and which of their fields.

Registration is at the model level (django-auditlog's signals), so a change is recorded whoever makes it:
a service, the API, an import or the Django admin. Writes that bypass model signals (a conditional
UPDATE, bulk_create) are recorded by kadans.audit.subscribers or kadans.audit.services.
"""

from auditlog.registry import auditlog
from django.apps import apps

# app label.Model -> options for auditlog.register. Timestamps kept by Django itself (updated_at) say
# nothing a reader needs; secrets are masked, passwords and login times left out.
TRACKED: dict[str, dict] = {
    "relations.Relation": {"exclude_fields": ["created_at", "updated_at"]},
    "relations.Contact": {},
    "relations.BusinessStatus": {},
    "relations.Priority": {},
    "activities.Activity": {"exclude_fields": ["created_at", "updated_at"]},
    "activities.CostLine": {},
    "activities.Product": {},
    "activities.ActivityType": {"m2m_fields": {"suggested_types"}},
    "activities.ActivityPlan": {},
    "activities.ActivityPlanStep": {},
    "integrations.WebForm": {"exclude_fields": ["created_at"], "mask_fields": ["key"]},
    "integrations.WebhookSubscription": {"exclude_fields": ["created_at"], "mask_fields": ["secret"]},
    "accounts.User": {"exclude_fields": ["password", "last_login"]},
    "accounts.Team": {},
}


def register_models() -> None:
    for label, options in TRACKED.items():
        model = apps.get_model(label)
        if auditlog.contains(model):
            continue
        options = dict(options)
        excluded = set(options.pop("exclude_fields", []))
        # the model's own columns only: reverse relations say nothing about this row, and the primary
        # key is the entry's object id already
        fields = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in excluded]
        auditlog.register(model, include_fields=fields, **options)


def tracked_labels() -> list[str]:
    return list(TRACKED)
