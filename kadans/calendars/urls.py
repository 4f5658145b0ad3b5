from django.urls import path

from kadans.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.calendar_page, name="page"),
    path("events/", views.events, name="events"),
    path("events/<int:pk>/move/", views.event_move, name="move"),
    path("feed/regenerate/", views.feed_regenerate, name="feed_regenerate"),
    path("feed/<slug:key>.ics", views.feed, name="feed"),
]
