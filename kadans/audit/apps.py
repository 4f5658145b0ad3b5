from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kadans.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from kadans.audit import subscribers, tracking
        from kadans.audit.middleware import set_actor_from_request
        from kadans.audit.models import AuditEntry
        from kadans.core import events

        tracking.register_models()
        pre_save.connect(set_actor_from_request, sender=AuditEntry, dispatch_uid="kadans.audit.actor")
        events.subscribe(events.ActivityCreated, subscribers.on_activity_created)
        events.subscribe(events.ActivityChanged, subscribers.on_activity_changed)
        events.subscribe(events.ActivityCompleted, subscribers.on_activity_completed)
        events.subscribe(events.ActivityCancelled, subscribers.on_activity_cancelled)
        events.subscribe(events.OccurrencesCreated, subscribers.on_occurrences_created)
        events.subscribe(events.OccurrencesChanged, subscribers.on_occurrences_changed)
