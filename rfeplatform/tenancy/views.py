"""The portal's team pages: `/t/<team>/...` resolves the team within the user's memberships."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from customers.models import Team
from rfeplatform.tenancy.roles import Role, has_role, roles_by_team

SESSION_TEAM = "current_team"


def team_view(min_role: Role = Role.VIEWER):
    """Decorator for views under /t/<team>/: sets request.team and request.team_role, remembers the
    team as the current one, and answers 404 for a team the user is not a member of, so foreign teams
    are indistinguishable from missing ones; a member whose role is too low gets 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, team, *args, **kwargs):
            found = Team.objects.for_user(request.user).filter(slug=team).first()
            if found is None:
                raise Http404("No such team.")
            if not has_role(request.user, found.pk, min_role):
                raise PermissionDenied(f"This needs the {min_role} role in {found.name}.")
            request.team = found
            request.team_role = "manager" if request.user.is_superuser else roles_by_team(request.user).get(found.pk)
            request.session[SESSION_TEAM] = found.slug
            return view(request, *args, **kwargs)

        wrapper.team_min_role = min_role
        return wrapper

    return decorator
