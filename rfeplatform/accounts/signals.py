"""Audit of sign-ins and failed sign-ins (portal, admin and SSO all go through Django's auth signals)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from rfeplatform.audit.recorder import record_security_event


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs):
    record_security_event("login", user=user, detail={"ip": request.META.get("REMOTE_ADDR") if request else None})


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the identifier is kept.
    username = str(credentials.get("username") or credentials.get("email") or credentials.get("login") or "")
    record_security_event(
        "login_failed",
        username=username,
        detail={"ip": request.META.get("REMOTE_ADDR") if request is not None else None},
    )
