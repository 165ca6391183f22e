"""Bulk writes skip Django's save/delete signals; this queryset audits them instead."""

from django.db import models, transaction

from rfeplatform.audit import recorder


class AuditedQuerySet(models.QuerySet):
    """Audits `update()` and `bulk_create()` of audited models. `bulk_update()` runs through
    `update()`, and deletes need nothing here: the deletion collector sends pre/post_delete for each
    row while receivers are connected."""

    def update(self, **kwargs):
        if not recorder.is_audited(self.model):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            before = {obj.pk: obj for obj in self._chain().select_for_update()}
            count = super().update(**kwargs)
            base = self.model._base_manager.using(self.db)
            after = {obj.pk: obj for obj in base.filter(pk__in=list(before))}
            recorder.record_many("update", [(after[pk], old) for pk, old in before.items() if pk in after])
        return count

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        if recorder.is_audited(self.model):
            upsert = kwargs.get("update_conflicts") or kwargs.get("ignore_conflicts")
            recorder.record_many("upsert" if upsert else "create", [(obj, None) for obj in objs])
        return objs
