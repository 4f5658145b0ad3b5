from django.urls import path, re_path

from kadans.caldav import pages, views

app_name = "caldav"
urlpatterns = [
    path(".well-known/caldav", views.well_known, name="well_known"),
    path("caldav/", views.dav, name="root"),
    re_path(r"^caldav/users/(?P<path>.*)$", views.dav, name="dav"),
    path("caldav/unlinked/", pages.unlinked_list, name="unlinked"),
    path("caldav/unlinked/<int:pk>/", pages.unlinked_link, name="unlinked_link"),
    path("caldav/unlinked/panel/", pages.unlinked_panel, name="unlinked_panel"),
]
