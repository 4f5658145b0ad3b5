"""The audit trail's entries: django-auditlog's log entry, plus the relation each change belongs to.

Keeping the relation on the entry (not a foreign key: the trail outlives what it describes) lets a
relation's page list the changes of the relation, its contacts, its activities and their cost lines in
one indexed query, including those of rows deleted since.
"""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from kadans.activities.models import Activity


class AuditEntryManager(LogEntryManager):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        kwargs.setdefault("relation_id", relation_id_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        kwargs.setdefault("relation_id", relation_id_of(instance))
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


def relation_id_of(instance) -> int | None:
    """The relation a tracked row belongs to: itself, its relation, or its activity's relation."""
    meta = instance._meta
    if meta.label == "relations.Relation":
        return instance.pk
    if meta.label in ("relations.Contact", "activities.Activity"):
        return instance.relation_id
    if meta.label == "activities.CostLine":
        activity = instance._state.fields_cache.get("activity")
        if activity is not None:
            return activity.relation_id
        return Activity.objects.filter(pk=instance.activity_id).values_list("relation_id", flat=True).first()
    return None


class AuditEntry(AbstractLogEntry):
    relation_id = models.BigIntegerField(_("relation"), null=True, blank=True)

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            # a relation's "Changes" panel and GET /api/v1/audit?relation=: newest first
            models.Index(fields=["relation_id", "-timestamp"], name="auditentry_relation_time"),
            # GET /api/v1/audit?model=&since= and one object's trail (the privacy erasure)
            models.Index(fields=["content_type", "object_id"], name="auditentry_object"),
        ]
