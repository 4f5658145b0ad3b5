from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kadans.activities.relation_page import relation_detail
from kadans.integrations.intake_views import intake
from kadans.relations import urls as relation_urls

# the relations app's pages, and the relation page, which the activities app composes
relation_pages = ([
    *relation_urls.urlpatterns, path("<int:pk>/", relation_detail, name="detail"),
], relation_urls.app_name)

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("relations/", include(relation_pages)),
    path("activities/", include("kadans.activities.urls")),
    path("calendar/", include("kadans.calendars.urls")),
    path("account/", include("kadans.accounts.urls")),
    path("", include("kadans.reports.urls")),
    path("api/v1/", include("kadans.api.urls")),
    path("notifications/", include("kadans.notifications.urls")),
    path("documents/", include("kadans.documents.urls")),
    path("forms/<str:key>/", intake, name="intake"),
    path("integrations/", include("kadans.integrations.urls")),
    path("planner/", include("kadans.planner.urls")),
    path("", include("kadans.caldav.urls")),  # /.well-known/caldav and /caldav/
    path("audit/", include("kadans.audit.urls")),
    path("privacy/", include("kadans.privacy.urls")),
    path("", include("kadans.web.urls")),
]

handler400 = "kadans.web.errors.bad_request"
handler403 = "kadans.web.errors.permission_denied"
handler404 = "kadans.web.errors.page_not_found"
handler500 = "kadans.web.errors.server_error"
