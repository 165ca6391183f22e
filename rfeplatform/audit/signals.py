"""Receivers that record every save and delete of an audited model (see recorder.is_audited)."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from rfeplatform.audit import recorder


@receiver(pre_save, dispatch_uid="audit_pre_save")
def remember_before(sender, instance, raw=False, **kwargs):
    if raw or not recorder.is_audited(sender):
        return
    stored = None
    if not instance._state.adding and instance.pk is not None:
        # The stored row, not an in-memory copy: what really changes is what the database had.
        stored = sender._base_manager.using(kwargs.get("using")).filter(pk=instance.pk).first()
    instance._audit_stored = stored


@receiver(post_save, dispatch_uid="audit_post_save")
def record_save(sender, instance, created, raw=False, **kwargs):
    if raw or not recorder.is_audited(sender):
        return
    stored = None if created else getattr(instance, "_audit_stored", None)
    instance._audit_stored = None  # do not keep the old row (and its secrets) on the instance
    before = recorder.snapshot(stored) if stored is not None else None
    recorder.record("create" if created else "update", instance, before, recorder.after_snapshot(instance, stored))


@receiver(pre_delete, dispatch_uid="audit_pre_delete")
def remember_deleted(sender, instance, **kwargs):
    if recorder.is_audited(sender):
        # Resolved now: after a cascade, the parent that names the team may already be gone.
        instance._audit_team_id = recorder.team_id_for(instance)
        instance._audit_before = recorder.snapshot(instance)


@receiver(post_delete, dispatch_uid="audit_post_delete")
def record_delete(sender, instance, **kwargs):
    if recorder.is_audited(sender):
        recorder.record(
            "delete",
            instance,
            getattr(instance, "_audit_before", None) or recorder.snapshot(instance),
            None,
            team_id=getattr(instance, "_audit_team_id", None),
        )
