from django.contrib.auth import get_user_model
from rest_framework import serializers

from customers.models import Customer, Membership, Team
from customers.services import LAST_MANAGER, is_last_manager
from rfeplatform.api.serializers import StrictModelSerializer
from rfeplatform.tenancy.roles import Role


class TeamSerializer(StrictModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "slug", "timezone", "created", "updated"]
        read_only_fields = ["created", "updated"]


class CustomerSerializer(StrictModelSerializer):
    sbr_groups = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    products = serializers.ListField(child=serializers.CharField(max_length=200), required=False)

    class Meta:
        model = Customer
        fields = [
            "id",
            "team",
            "name",
            "account_number",
            "sbr_groups",
            "products",
            "timezone",
            "active",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]


class MembershipSerializer(StrictModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", queryset=get_user_model().objects.filter(is_active=True))

    class Meta:
        model = Membership
        fields = ["id", "team", "user", "role", "created", "updated"]
        read_only_fields = ["created", "updated"]

    def validate(self, attrs):
        instance = self.instance
        if instance is not None:
            # Moving a membership to another team or user is a delete plus a create.
            for field in ("team", "user"):
                if field in attrs and attrs[field] != getattr(instance, field):
                    raise serializers.ValidationError({field: ["Cannot be changed; create a new membership."]})
            if attrs.get("role", instance.role) != Role.MANAGER and is_last_manager(instance):
                raise serializers.ValidationError({"role": [LAST_MANAGER]})
        return attrs
