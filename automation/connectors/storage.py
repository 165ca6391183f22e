"""File storage for reports and publication fallbacks: a local folder by default, S3 or Azure Blob
through django-storages when the connection says so. Not HTTP through the seam: the storage SDKs
bring their own transports and retries."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from automation.connectors.errors import ConnectorError


class StorageConnector:
    vendor = "storage"

    def __init__(self, connection):
        self.connection = connection
        self.storage = self._build()

    def _build(self):
        options = self.connection.settings
        backend = options.get("backend", "local")
        if backend == "local":
            location = Path(
                options.get("location") or Path(settings.VAR_DIR) / "storage" / str(self.connection.team_id)
            )
            return FileSystemStorage(location=location)
        if backend == "s3":
            from storages.backends.s3 import S3Storage

            return S3Storage(
                bucket_name=options.get("bucket"),
                endpoint_url=self.connection.base_url or None,
                access_key=self.connection.username or None,
                secret_key=self.connection.get_secret() or None,
                location=options.get("location", ""),
            )
        if backend == "azure":
            from storages.backends.azure_storage import AzureStorage

            return AzureStorage(
                account_name=self.connection.username,
                account_key=self.connection.get_secret(),
                azure_container=options.get("bucket"),
                location=options.get("location", ""),
            )
        raise ConnectorError(f"Unknown storage backend {backend!r}.", permanent=True)

    def save(self, name: str, content: bytes) -> str:
        try:
            return self.storage.save(name, ContentFile(content))
        except Exception as error:  # SDK errors vary by backend; keep them out of the caller's way
            raise ConnectorError(f"Storing {name} failed: {type(error).__name__}") from error

    def open(self, name: str) -> bytes:
        with self.storage.open(name, "rb") as handle:
            return handle.read()

    def check(self) -> str:
        name = self.save(".rfeplatform-check", b"ok")
        self.storage.delete(name)
        return "Writing and deleting a file works."
