from django.urls import path

from automation import views

app_name = "automation"
urlpatterns = [
    path("t/<slug:team>/jobs/", views.jobs, name="jobs"),
    path("t/<slug:team>/jobs/run/", views.job_run, name="job-run"),
    path("t/<slug:team>/jobs/<int:pk>/cancel/", views.job_cancel, name="job-cancel"),
]
