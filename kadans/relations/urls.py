from django.urls import path

from kadans.relations import views

app_name = "relations"
urlpatterns = [
    path("", views.relation_list, name="list"),
    path("new/", views.relation_create, name="create"),
    path("search/", views.relation_search, name="search"),
    path("<int:pk>/", views.relation_detail, name="detail"),
    path("<int:pk>/edit/", views.relation_edit, name="edit"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
]
