from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rfeplatform import crypto
from rfeplatform.context import system_context

# (model label, encrypted field) of every secret stored in the platform.
ENCRYPTED_FIELDS = [("automation.Connection", "secret_encrypted")]


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret with the first key of FIELD_ENCRYPTION_KEY. Rotate by prepending "
        "a new key, running this command, then removing the old key."
    )

    def handle(self, **options):
        total = 0
        with system_context("command:rotate_encryption_keys"), transaction.atomic():
            for label, field in ENCRYPTED_FIELDS:
                model = apps.get_model(label)
                for obj in model.objects.exclude(**{field: ""}):
                    try:
                        setattr(obj, field, crypto.rotate(getattr(obj, field)))
                    except crypto.DecryptionError as error:
                        raise CommandError(f"{label} #{obj.pk}: {error} Nothing was changed.") from error
                    obj.save(update_fields=[field])
                    total += 1
        self.stdout.write(f"Re-encrypted {total} secret(s) with the current key.")
