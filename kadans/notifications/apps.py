from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kadans.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from kadans.core import events  # the apps' models are ready only now
        from kadans.notifications import invitations, services

        events.subscribe(events.ActivityCreated, services.activity_assigned)
        events.subscribe(events.ActivityChanged, services.activity_assigned)
        events.subscribe(events.ActivityChanged, invitations.activity_changed)
        events.subscribe(events.ActivityCancelled, invitations.activity_changed)
