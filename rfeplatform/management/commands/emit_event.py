"""`manage.py emit_event`: emit a live event from the command line (operators, tests)."""

from rfeplatform.events.emit_command import Command  # noqa: F401
