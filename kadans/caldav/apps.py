from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaldavConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kadans.caldav"
    verbose_name = _("Calendar sync (CalDAV)")
