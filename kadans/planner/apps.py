from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlannerConfig(AppConfig):
    name = "kadans.planner"
    verbose_name = _("Week planner")
