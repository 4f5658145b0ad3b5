from django.urls import path

from kadans.activities import boards, plan_views, views

app_name = "activities"
urlpatterns = [
    path("", views.my_activities, name="mine"),
    path("new/", views.activity_create, name="create"),
    path("relation-fields/", views.relation_fields, name="relation_fields"),
    path("defaults/", views.activity_defaults, name="defaults"),
    path("counters/", boards.counters, name="counters"),
    path("pipeline/", boards.pipeline, name="pipeline"),
    path("pipeline/move/", boards.pipeline_move, name="pipeline_move"),
    path("overview/", boards.overview, name="overview"),
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("plans/new/", plan_views.plan_edit, name="plan_create"),
    path("plans/<int:pk>/", plan_views.plan_edit, name="plan_edit"),
    path("plans/apply/", plan_views.plan_apply, name="plan_apply"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/complete/", views.activity_complete, name="complete"),
    path("<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path("<int:pk>/reschedule/", views.activity_reschedule, name="reschedule"),
    path("<int:pk>/menu/", views.activity_row_menu, name="row_menu"),
]
