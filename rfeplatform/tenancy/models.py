"""The abstract base of every tenant model."""

from typing import ClassVar

from django.db import models

from rfeplatform.tenancy.scope import TenantManager


class TenantModel(models.Model):
    """A row that belongs to a team, directly or through `tenant_path` (e.g. "customer__team").

    Its default manager is scoped and fails closed (see tenancy.scope); every create, update and
    delete is written to the audit log (see rfeplatform.audit).
    """

    tenant_path: ClassVar[str] = "team"

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    class Meta:
        abstract = True
