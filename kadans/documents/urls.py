from django.urls import path

from kadans.documents import views

app_name = "documents"
urlpatterns = [
    path("activity/<int:pk>/actions/", views.activity_actions, name="activity_actions"),
    path("activity/<int:pk>/upload/", views.upload, name="upload"),
    path("activity/<int:pk>/upload-link/", views.send_upload_link, name="send_upload_link"),
    path("activity/<int:pk>/signature/", views.request_signature, name="request_signature"),
    path("<int:pk>/download/", views.download, name="download"),
    path("u/<str:token>/", views.public_upload, name="public_upload"),
    path("s/<str:token>/", views.public_sign, name="public_sign"),
    path("s/<str:token>/document/", views.public_sign_document, name="public_sign_document"),
]
