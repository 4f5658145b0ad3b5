from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "kadans.integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from kadans.integrations import webhooks  # models are ready only now

        webhooks.subscribe()
