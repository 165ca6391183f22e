"""Portal pages of the project package: home, team landing page, areas not yet enabled, API tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from customers.models import Customer, Membership, Team
from rfeplatform.accounts.models import ApiToken
from rfeplatform.accounts.services import token_create, token_revoke
from rfeplatform.audit.models import AuditEvent
from rfeplatform.tenancy.views import SESSION_TEAM, team_view

AREAS = {
    "cases": ("Cases", "Support cases, JIRA cards, Bugzilla bugs and escalations synced for this team."),
    "rfe": ("RFE reports", "Per-customer RFE and bug status reports, their approvals and publications."),
    "incidents": ("Incidents", "Deduplicated failure incidents with root-cause analysis and SLA."),
    "github": ("GitHub", "Issue automation: evidence, proposed actions and the undo ledger."),
}


@login_required
def home(request):
    teams = Team.objects.for_user(request.user).order_by("name")
    remembered = request.session.get(SESSION_TEAM)
    team = teams.filter(slug=remembered).first() if remembered else None
    team = team or teams.first()
    if team is None:
        return render(request, "portal/no_team.html", status=200)
    return redirect("portal:team", team=team.slug)


@team_view()
def team_home(request):
    team = request.team
    customers = Customer.objects.for_team(team)
    context = {
        "customer_count": customers.count(),
        "active_customer_count": customers.filter(active=True).count(),
        "customers": customers.order_by("name")[:10],
        "members": Membership.objects.for_team(team).select_related("user").order_by("user__username"),
        "activity": AuditEvent.objects.for_team(team).order_by("-id")[:15],
        "activity_count": AuditEvent.objects.for_team(team).count(),
        "active_section": "overview",
    }
    return render(request, "portal/team_home.html", context)


@team_view()
def area(request, section):
    if section not in AREAS:
        raise Http404("No such page.")
    title, description = AREAS[section]
    return render(
        request,
        "portal/area.html",
        {"title": title, "description": description, "active_section": section},
    )


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. 'CI pipeline'.")
    expires_at = forms.DateTimeField(
        required=False,
        label="Expires",
        help_text="Optional, e.g. 2027-01-31 18:00. Empty: never expires.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        if value is not None and value <= timezone.now():
            raise forms.ValidationError("The expiry must be in the future.")
        return value


SESSION_NEW_KEY = "new_api_token_key"


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, key = token_create(user=request.user, **form.cleaned_data)
        # Redirect so a reload cannot create a second token; the key crosses the redirect in the
        # server-side session and is removed from it by the next page view.
        request.session[SESSION_NEW_KEY] = key
        return redirect("portal:tokens")
    context = {
        "form": form,
        "created_key": request.session.pop(SESSION_NEW_KEY, None) if request.method == "GET" else None,
        "tokens": ApiToken.objects.for_owner(request.user).filter(user=request.user),
    }
    return render(request, "portal/tokens.html", context, status=200 if request.method == "GET" else 400)


@login_required
@require_POST
def token_revoke_view(request, pk):
    token = get_object_or_404(ApiToken.objects.for_owner(request.user).filter(user=request.user), pk=pk)
    token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("portal:tokens")
