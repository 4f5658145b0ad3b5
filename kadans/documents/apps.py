from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "kadans.documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from kadans.activities.history import register_history_source  # the apps' models are ready only now
        from kadans.documents.history import DOCUMENTS

        register_history_source(DOCUMENTS)
