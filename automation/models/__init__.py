"""Models of the automation app, one module per concept."""

from automation.models.connections import Connection
from automation.models.jobs import JobRun, JobSchedule
from automation.models.locks import Lease

__all__ = ["Connection", "JobRun", "JobSchedule", "Lease"]
