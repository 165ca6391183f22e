"""Serializer base: unknown fields are an error, not silently ignored, and model constraints are
checked before saving so they answer 400 with the field, not a database error."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
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
    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        concrete = {f.name for f in model._meta.concrete_fields}
        values = {key: value for key, value in attrs.items() if key in concrete}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for key, value in values.items():
            setattr(instance, key, value)
        try:
            # DRF checks field-based unique constraints itself; this adds expression constraints
            # (e.g. case-insensitive names) and check constraints.
            instance.validate_constraints()
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return attrs


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass
