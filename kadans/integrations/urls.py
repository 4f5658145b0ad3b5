from django.urls import path

from kadans.integrations import views

app_name = "integrations"
urlpatterns = [
    path("web-forms/", views.webform_list, name="webform_list"),
    path("web-forms/new/", views.webform_edit, name="webform_create"),
    path("web-forms/<int:pk>/", views.webform_edit, name="webform_edit"),
    path("web-forms/<int:pk>/delete/", views.webform_delete, name="webform_delete"),
    path("webhooks/", views.webhook_list, name="webhook_list"),
    path("webhooks/new/", views.webhook_edit, name="webhook_create"),
    path("webhooks/<int:pk>/", views.webhook_edit, name="webhook_edit"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_map, name="import_map"),
    path("export/relations.<str:fmt>", views.export_relations, name="export_relations"),
    path("export/my-activities.<str:fmt>", views.export_my_activities, name="export_my_activities"),
    path("export/products.<str:fmt>", views.export_products, name="export_products"),
]
