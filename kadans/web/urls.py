from django.urls import path

from kadans.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.settings_index, name="settings"),
    path("settings/<slug:slug>/", views.settings_list, name="settings_list"),
    path("settings/<slug:slug>/new/", views.settings_edit, name="settings_create"),
    path("settings/<slug:slug>/<int:pk>/", views.settings_edit, name="settings_edit"),
    path("settings/<slug:slug>/<int:pk>/delete/", views.settings_delete, name="settings_delete"),
]
