"""Jobs: the registry (`@job`), the runner (locks, JobRun, cancellation) and per-team schedules.

Apps declare their jobs in a `jobs.py` module (or package) with `@job(...)`; the automation app
imports them all at start-up (see AutomationConfig.ready).
"""
