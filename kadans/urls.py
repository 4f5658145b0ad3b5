from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kadans.integrations.intake_views import intake

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("relations/", include("kadans.relations.urls")),
    path("activities/", include("kadans.activities.urls")),
    path("calendar/", include("kadans.calendars.urls")),
    path("account/", include("kadans.accounts.urls")),
    path("", include("kadans.reports.urls")),
    path("api/v1/", include("kadans.api.urls")),
    path("notifications/", include("kadans.notifications.urls")),
    path("documents/", include("kadans.documents.urls")),
    path("forms/<str:key>/", intake, name="intake"),
    path("integrations/", include("kadans.integrations.urls")),
    path("audit/", include("kadans.audit.urls")),
    path("privacy/", include("kadans.privacy.urls")),
    path("", include("kadans.web.urls")),
]
