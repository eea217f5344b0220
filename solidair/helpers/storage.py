"""Private files: identity documents and receipts, under MEDIA_ROOT/private.

Nothing here has a public URL: staff see these files only through views that check
their role and write the access log. The web server must never serve this folder."""

from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    def __init__(self) -> None:
        super().__init__(base_url=None)

    @cached_property
    def base_location(self) -> str:
        # Read at use, so that a test (or MEDIA_ROOT changed at run time) is followed.
        return str(Path(settings.MEDIA_ROOT) / "private")

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public URL")


private_storage = PrivateStorage()


def identity_path(instance: object, filename: str) -> str:
    # The name says nothing about the person: only a random id and the image type.
    suffix = Path(filename).suffix.lower()[:5] or ".img"
    return f"identity/{uuid4().hex}{suffix}"


def receipt_path(instance: object, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:5] or ".img"
    return f"receipts/{uuid4().hex}{suffix}"


def get_private_storage() -> PrivateStorage:
    """For FileField(storage=...): migrations keep this name, not a folder."""
    return private_storage
