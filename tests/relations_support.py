"""The status changes a test's own steps write.

Relations made by tests/factories.py go through relation_create, which records each relation's first
status as a change from nothing (as the app does). A test of what a later step writes, or of a step that
must write nothing, looks only at the changes written after it started: `new = NewStatusChanges()`, then
`new(relation=relation)`.
"""

from django.db.models import QuerySet

from kadans.relations.models import StatusChange


class NewStatusChanges:
    def __init__(self) -> None:
        self._after = StatusChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def __call__(self, **filters) -> QuerySet[StatusChange]:
        return StatusChange.objects.filter(pk__gt=self._after, **filters).order_by("pk")
