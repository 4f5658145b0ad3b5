from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kadans.core"
    label = "core"
