"""Template context for every portal page: the user's teams, the current team, navigation."""

from django.conf import settings
from django.urls import reverse

from customers.models import Team
from rfeplatform.tenancy.roles import is_manager_anywhere

# Product areas in the navigation, in order. Each area's app adds its page under /t/<team>/<area>/.
SECTIONS = [
    ("overview", "Overview", "portal:team"),
    ("customers", "Customers", "customers:list"),
    ("cases", "Cases", "portal:section"),
    ("rfe", "RFE reports", "portal:section"),
    ("incidents", "Incidents", "portal:section"),
    ("github", "GitHub", "portal:section"),
    ("jobs", "Jobs", "automation:jobs"),
]


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith(("/admin/", "/api/")):
        return {"signup_open": settings.ACCOUNT_ALLOW_SIGNUP}
    teams = list(Team.objects.for_user(user).order_by("name"))
    team = getattr(request, "team", None)
    nav = []
    if team is not None:
        for key, label, url_name in SECTIONS:
            kwargs = {"team": team.slug}
            if url_name == "portal:section":
                kwargs["section"] = key
            nav.append({"key": key, "label": label, "url": reverse(url_name, kwargs=kwargs)})
    return {
        "user_teams": teams,
        "current_team": team,
        "nav": nav,
        "show_admin_link": user.is_superuser or user.is_staff or is_manager_anywhere(user),
    }
