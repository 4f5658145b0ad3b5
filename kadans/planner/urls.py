from django.urls import path

from kadans.planner import views

app_name = "planner"

urlpatterns = [
    path("", views.week, name="week"),
    path("plan/", views.plan, name="plan"),
    path("<int:plan_id>/accept/", views.accept, name="accept"),
    path("proposals/<int:proposal_id>/drop/", views.drop, name="drop"),
    path("proposals/<int:proposal_id>/move/", views.move, name="move"),
    path("working-days/", views.working_days, name="working_days"),
    path("relations/<int:relation_id>/", views.relation_planning, name="relation"),
]
