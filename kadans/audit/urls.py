from django.urls import path

from kadans.audit import views

app_name = "audit"
urlpatterns = [
    path("relations/<int:pk>/", views.relation_changes, name="relation_changes"),
]
