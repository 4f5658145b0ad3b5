from django.urls import path, register_converter

from kadans.privacy import views


class SubjectKind:
    regex = "contact|relation"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SubjectKind, "subject")
app_name = "privacy"
urlpatterns = [
    path("relations/<int:pk>/", views.relation_page, name="relation"),
    path("<subject:kind>/<int:pk>/export/", views.export, name="export"),
    path("<subject:kind>/<int:pk>/erase/", views.erase, name="erase"),
]
