"""The audit log, written once for every create, update and delete of the platform's models.

- `models`: AuditEvent, immutable.
- `recorder`: snapshots (with secrets redacted), actor resolution, writing events.
- `signals`: receivers for save/delete of every audited model.
- `queryset`: AuditedQuerySet, so bulk update/bulk_create/bulk_update are audited too.
"""
