from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from customers.api.serializers import CustomerSerializer, MembershipSerializer, TeamSerializer
from customers.models import Customer, Membership, Team
from customers.services import membership_delete
from rfeplatform.tenancy.api import TenantModelViewSet
from rfeplatform.tenancy.roles import Role


class TeamFilter(filters.FilterSet):
    slug = filters.CharFilter()

    class Meta:
        model = Team
        fields = ["slug"]


class TeamViewSet(TenantModelViewSet):
    """Teams you are a member of. Managers may rename their team; creating and deleting teams is for
    superusers."""

    model = Team
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    superuser_actions = frozenset({"create", "destroy"})


class CustomerFilter(filters.FilterSet):
    team = filters.NumberFilter(field_name="team_id")
    active = filters.BooleanFilter()
    account_number = filters.CharFilter()
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Customer
        fields = ["team", "active", "account_number", "name"]


class CustomerViewSet(TenantModelViewSet):
    """Customers of your teams. Members read; managers create, change and delete."""

    model = Customer
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter


class MembershipFilter(filters.FilterSet):
    team = filters.NumberFilter(field_name="team_id")
    user = filters.CharFilter(field_name="user__username")
    role = filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["team", "user", "role"]


class MembershipViewSet(TenantModelViewSet):
    """Members of your teams and their roles. Managers add, change and remove members; a team always
    keeps at least one manager."""

    model = Membership
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    select_related = ("user",)

    def perform_destroy(self, instance):
        try:
            membership_delete(instance)
        except DjangoValidationError as error:
            raise ValidationError({"non_field_errors": error.messages}) from error
