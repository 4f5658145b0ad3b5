from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kadans.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from kadans.activities.history import register_history_source  # the apps' models are ready only now
        from kadans.core import events
        from kadans.notifications import invitations, services
        from kadans.notifications.history import SENT_MAILS

        register_history_source(SENT_MAILS)

        events.subscribe(events.ActivityCreated, services.activity_assigned)
        events.subscribe(events.ActivityChanged, services.activity_assigned)
        events.subscribe(events.ActivityChanged, invitations.activity_changed)
        events.subscribe(events.ActivityCancelled, invitations.activity_changed)
