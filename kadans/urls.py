from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("relations/", include("kadans.relations.urls")),
    path("activities/", include("kadans.activities.urls")),
    path("account/", include("kadans.accounts.urls")),
    path("", include("kadans.web.urls")),
]
