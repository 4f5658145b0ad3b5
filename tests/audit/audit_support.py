from django.contrib.contenttypes.models import ContentType

from kadans.audit.models import AuditEntry


def entries_for(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).order_by("timestamp", "pk")
