from django.urls import path

from kadans.relations import views

app_name = "relations"
# The relation page itself (relations:detail) is added to these by kadans/urls.py: it shows activities,
# so it lives in the activities app, above this one.
urlpatterns = [
    path("", views.relation_list, name="list"),
    path("new/", views.relation_create, name="create"),
    path("search/", views.relation_search, name="search"),
    path("<int:pk>/edit/", views.relation_edit, name="edit"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
]
