from django.urls import path

from rfeplatform.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("t/<slug:team>/", views.team_home, name="team"),
    path("t/<slug:team>/<slug:section>/", views.area, name="section"),
]
