"""Models of the automation app, one module per concept."""

from automation.models.actions import Action, ActionState
from automation.models.connections import Connection
from automation.models.jobs import JobRun, JobSchedule
from automation.models.locks import Lease
from automation.models.ratelimit import RateBucket

__all__ = ["Action", "ActionState", "Connection", "JobRun", "JobSchedule", "Lease", "RateBucket"]
