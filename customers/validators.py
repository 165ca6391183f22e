"""Validation shared by the model, the admin forms and the API serializers."""

import zoneinfo

from django.core.exceptions import ValidationError


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("%(value)s is not a known IANA time zone, e.g. Europe/Prague.", params={"value": value})


def validate_string_list(value) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValidationError("Enter a list of non-empty strings.")
    if len(value) != len(set(value)):
        raise ValidationError("The list has duplicates.")
