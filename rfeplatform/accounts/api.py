"""API for the signed-in user: /api/v1/me/ and personal tokens at /api/v1/tokens/."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from customers.models import Membership
from rfeplatform.accounts.models import ApiToken
from rfeplatform.accounts.services import token_create, token_revoke
from rfeplatform.accounts.throttling import TokenCreateThrottle
from rfeplatform.api.serializers import StrictModelSerializer


class MeMembershipSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name")
    team_slug = serializers.CharField(source="team.slug")

    class Meta:
        model = Membership
        fields = ["team", "team_name", "team_slug", "role"]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    is_superuser = serializers.BooleanField()
    memberships = MeMembershipSerializer(many=True)


@extend_schema(responses=MeSerializer, summary="The signed-in user and their team roles")
@api_view(["GET"])
def me(request):
    user = request.user
    memberships = Membership.objects.for_user(user).filter(user=user).select_related("team").order_by("team__name")
    data = {
        "id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_superuser": user.is_superuser,
        "memberships": memberships,
    }
    return Response(MeSerializer(data).data)


class ApiTokenSerializer(StrictModelSerializer):
    status = serializers.CharField(read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created", "expires_at", "revoked_at", "last_used_at", "status"]
        read_only_fields = ["prefix", "created", "revoked_at", "last_used_at"]


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown only in this response; store it now.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your personal API tokens. The key is returned once, on creation. DELETE revokes a token (it
    stays listed as revoked)."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # OpenAPI generation has no real user
            return ApiToken.objects.dangerously_unscoped().none()
        # Your own tokens only, superusers included: this endpoint manages personal credentials.
        return ApiToken.objects.filter(user=self.request.user)

    def get_throttles(self):
        if self.action == "create":
            return [TokenCreateThrottle()]
        return super().get_throttles()

    @extend_schema(responses={201: ApiTokenCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = token_create(user=request.user, **serializer.validated_data)
        token.key = key
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        token_revoke(token=instance)
