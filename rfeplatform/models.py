"""Models of the project package (shared infrastructure); defined in their concept modules."""

from rfeplatform.accounts.models import ApiToken
from rfeplatform.audit.models import AuditEvent
from rfeplatform.events.models import Event

__all__ = ["ApiToken", "AuditEvent", "Event"]
