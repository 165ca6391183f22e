"""Serializer base: unknown fields are an error, not silently ignored."""

from rest_framework import serializers


class StrictSerializerMixin:
    """Rejects keys the serializer does not know. Read-only fields may be sent back (clients echo
    objects) and are ignored as DRF does."""

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        errors = {key: ["Unknown field."] for key in unknown}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            # Report unknown and invalid fields together, so a client fixes everything in one go.
            if isinstance(error.detail, dict):
                errors = {**error.detail, **errors}
            elif not errors:
                raise
        if errors:
            raise serializers.ValidationError(errors)
        return value


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    pass


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass
