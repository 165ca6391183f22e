from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from automation.connection_kinds import validate_connection
from automation.models import Connection
from rfeplatform.api.serializers import StrictModelSerializer


class ConnectionSerializer(StrictModelSerializer):
    """`secret` is write-only: omitted keeps the stored secret, an empty string removes it."""

    secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, trim_whitespace=False, max_length=10000
    )
    has_secret = serializers.BooleanField(read_only=True)

    class Meta:
        model = Connection
        fields = [
            "id",
            "team",
            "kind",
            "name",
            "base_url",
            "auth_type",
            "username",
            "secret",
            "has_secret",
            "settings",
            "enabled",
            "timeout_seconds",
            "max_retries",
            "rate_limit_per_minute",
            "last_success_at",
            "last_error_at",
            "last_error",
            "created",
            "updated",
        ]
        read_only_fields = ["last_success_at", "last_error_at", "last_error", "created", "updated"]

    def validate(self, attrs):
        secret = attrs.pop("secret", None)
        attrs = super().validate(attrs)
        current = self.instance
        value = lambda name: attrs.get(name, getattr(current, name, None))  # noqa: E731
        has_secret = bool(secret) if secret is not None else bool(current and current.has_secret)
        try:
            validate_connection(
                kind=value("kind"),
                auth_type=value("auth_type"),
                base_url=value("base_url") or "",
                settings=value("settings") or {},
                has_secret=has_secret,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        if secret is not None:
            attrs["_secret"] = secret
        return attrs

    def _apply_secret(self, instance, validated_data):
        if "_secret" in validated_data:
            instance.set_secret(validated_data.pop("_secret"))

    def create(self, validated_data):
        secret = validated_data.pop("_secret", None)
        instance = Connection(**validated_data)
        instance.set_secret(secret)
        instance.save()
        return instance

    def update(self, instance, validated_data):
        self._apply_secret(instance, validated_data)
        return super().update(instance, validated_data)
