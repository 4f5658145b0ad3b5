from django.urls import path

from kadans.reports import views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("reports/", views.reports_index, name="index"),
    path("reports/costs/", views.costs_page, name="costs"),
    path("reports/costs/activities/", views.costs_activities_page, name="costs_activities"),
    path("reports/conversions/", views.conversions_page, name="conversions"),
    path("reports/activities/", views.activity_analysis_page, name="activities"),
    path("reports/to-schedule/", views.to_schedule_page, name="to_schedule"),
    path("reports/to-schedule/plan/", views.plan_suggestion, name="plan"),
]
