"""Team membership changes, with the rule that a team always keeps at least one manager."""

from django.core.exceptions import ValidationError
from django.db import transaction

from customers.models import Membership
from rfeplatform.tenancy.roles import Role

LAST_MANAGER = "A team must keep at least one manager: add another manager first."


def _other_managers(membership: Membership):
    return (
        Membership.objects.dangerously_unscoped()  # counts within the membership's own team
        .select_for_update()
        .filter(team_id=membership.team_id, role=Role.MANAGER)
        .exclude(pk=membership.pk)
    )


def is_last_manager(membership: Membership) -> bool:
    if membership.pk is None:
        return False
    stored = Membership.objects.dangerously_unscoped().filter(pk=membership.pk).values_list("role", flat=True).first()
    return stored == Role.MANAGER and not _other_managers(membership).exists()


@transaction.atomic
def membership_save(membership: Membership) -> Membership:
    if membership.role != Role.MANAGER and is_last_manager(membership):
        raise ValidationError({"role": LAST_MANAGER})
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_delete(membership: Membership) -> None:
    if is_last_manager(membership):
        raise ValidationError(LAST_MANAGER)
    membership.delete()
