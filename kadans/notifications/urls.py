from django.urls import path

from kadans.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.mark_read, name="mark_read"),
    path("activity/<int:pk>/email/", views.compose, name="compose"),
    path("activity/<int:pk>/invitation/", views.send_invitation, name="send_invitation"),
]
