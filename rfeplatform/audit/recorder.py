"""Turning a change into an AuditEvent: snapshots with secrets redacted, the acting user or system
actor, the source and the request id."""

from __future__ import annotations

import json
import re
import sys
from functools import cache

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from rfeplatform import context

REDACTED = "[redacted]"
# A changed secret shows as changed without showing either value.
REDACTED_CHANGED = "[redacted: changed]"

# Apps whose every model is audited, and a few models of other apps that change who can do what.
AUDITED_APPS = {"rfeplatform", "customers", "cases", "incidents", "automation", "report_templates"}
AUDITED_MODELS = {"auth.user", "auth.group", "django_q.schedule", "socialaccount.socialapp"}
NOT_AUDITED = {"rfeplatform.auditevent", "rfeplatform.event", "automation.lease", "automation.ratebucket"}

# Field names that hold credentials anywhere in the platform. A model can add more with
# `audit_secret_fields`, and a field can declare itself with `is_secret = True`.
SECRET_NAME = re.compile(r"password|secret|token|api_?key|private_key|credential|key_hash|passphrase", re.I)
# Updates that touch only these fields are bookkeeping, not changes worth an event.
IGNORED_FIELDS = {"auth.user": {"last_login"}, "django_q.schedule": {"next_run", "task"}}


@cache
def is_audited(model: type[models.Model]) -> bool:
    label = model._meta.label_lower
    if label in NOT_AUDITED or model._meta.abstract:
        return False
    return model._meta.app_label in AUDITED_APPS or label in AUDITED_MODELS


@cache
def secret_fields(model: type[models.Model]) -> frozenset[str]:
    declared = set(getattr(model, "audit_secret_fields", ()))
    return frozenset(
        f.attname
        for f in model._meta.concrete_fields
        if f.name in declared or SECRET_NAME.search(f.name) or getattr(f, "is_secret", False)
    )


def ignored_fields(model: type[models.Model]) -> set[str]:
    return set(getattr(model, "audit_ignore_fields", ())) | IGNORED_FIELDS.get(model._meta.label_lower, set())


def snapshot(instance: models.Model) -> dict:
    """The concrete field values of an instance as JSON-safe data, secrets replaced by a marker."""
    secrets = secret_fields(type(instance))
    data = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if field.attname in secrets:
            data[field.attname] = REDACTED if value not in (None, "") else value
        elif isinstance(value, (bytes, memoryview)):
            data[field.attname] = f"<{len(value)} bytes>"
        else:
            data[field.attname] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def secret_values(instance: models.Model) -> dict:
    """The raw values of an instance's secret fields, kept in memory only to tell whether they changed."""
    return {name: getattr(instance, name) for name in secret_fields(type(instance))}


def after_snapshot(instance: models.Model, before: models.Model | None) -> dict:
    """The snapshot after a change; secret fields that changed say so (still without a value)."""
    after = snapshot(instance)
    if before is not None:
        old = secret_values(before)
        for name, value in secret_values(instance).items():
            if old.get(name) != value and after.get(name) not in (None, ""):
                after[name] = REDACTED_CHANGED
    return after


def resolve_actor() -> tuple[object | None, str, str]:
    """(user or None, actor name, source) for the change being recorded now."""
    request = context.current_request.get()
    if request is not None:
        user = getattr(request, "user", None)
        source = getattr(request, "audit_source", "portal")
        if user is not None and user.is_authenticated:
            return user, user.get_username(), source
        return None, "anonymous", source
    actor = context.system_actor.get()
    if actor is not None:
        user = actor.user if getattr(actor.user, "is_authenticated", False) else None
        return user, actor.name, actor.source
    # Outside any request or declared system context (a shell, a script): still recorded.
    program = " ".join(arg.rsplit("/", 1)[-1] for arg in sys.argv[:2]) or "python"
    return None, f"system:{program}"[:150], "system"


def team_id_for(instance: models.Model) -> int | None:
    if not hasattr(type(instance), "tenant_path"):
        return None
    from rfeplatform.tenancy.scope import team_id_of

    try:
        return team_id_of(instance)
    except models.ObjectDoesNotExist:
        return None


def build_event(action: str, instance, before: dict | None, after: dict | None, *, team_id=None):
    from rfeplatform.audit.models import AuditEvent

    user, name, source = resolve_actor()
    return AuditEvent(
        actor=user,
        actor_name=name,
        source=source,
        team_id=team_id if team_id is not None else team_id_for(instance),
        action=action,
        object_type=instance._meta.label_lower if instance is not None else "",
        object_id=str(instance.pk) if instance is not None and instance.pk is not None else "",
        object_repr=str(instance)[:200] if instance is not None else "",
        before=before,
        after=after,
        request_id=context.request_id.get() or "",
    )


def has_changes(model, before: dict | None, after: dict | None) -> bool:
    if before is None or after is None:
        return True
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    return bool(changed - ignored_fields(model) - {"updated"})


def record(action: str, instance, before=None, after=None, *, team_id=None):
    """Write one event now (inside the caller's transaction, so it commits or rolls back with it)."""
    if action == "update" and not has_changes(type(instance), before, after):
        return None
    event = build_event(action, instance, before, after, team_id=team_id)
    event.save()
    return event


def record_many(action: str, pairs: list[tuple[models.Model, models.Model | None]]):
    """Write events for a bulk operation: `pairs` are (instance after the change, instance before)."""
    from rfeplatform.audit.models import AuditEvent

    events = []
    for instance, old in pairs:
        before = snapshot(old) if old is not None else None
        after = after_snapshot(instance, old)
        if action == "update" and not has_changes(type(instance), before, after):
            continue
        events.append(build_event(action, instance, before, after))
    if events:
        AuditEvent.objects.dangerously_unscoped().bulk_create(events)
    return events


def record_security_event(action: str, *, user=None, username: str = "", detail: dict | None = None):
    """Authentication events (login, failed login, bad token): no object, the attempted username."""
    from rfeplatform.audit.models import AuditEvent

    _, name, source = resolve_actor()
    event = AuditEvent(
        actor=user if getattr(user, "is_authenticated", False) else None,
        actor_name=(user.get_username() if getattr(user, "is_authenticated", False) else username or name)[:150],
        source=source,
        action=action,
        object_type="auth.user" if user is not None or username else "",
        object_id=str(user.pk) if getattr(user, "pk", None) else "",
        object_repr=(username or (user.get_username() if user is not None else ""))[:200],
        after=detail,
        request_id=context.request_id.get() or "",
    )
    event.save()
    return event


def audited_models():
    return [m for m in apps.get_models() if is_audited(m)]
