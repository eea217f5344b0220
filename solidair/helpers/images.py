"""Photos sent by helpers (identity documents, receipts): real images, at most 10 MB."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# What Pillow reads → the file name's suffix (which sets the type when it is served).
# MPO is a JPEG with a second picture in it, as many phones' cameras write them.
ACCEPTED_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def max_bytes() -> int:
    return settings.HELPERS_UPLOAD_MAX_MB * 1024 * 1024


def image_check(upload: UploadedFile) -> UploadedFile:
    """Refuse what is too big or is not a picture Pillow can read, with a clear message."""
    if upload.size is not None and upload.size > max_bytes():
        raise ValidationError(
            _(
                "“%(name)s” is too big: a photo can be at most %(max)s MB. Please take it again "
                "at a lower resolution."
            ),
            code="too_big",
            params={"name": upload.name, "max": settings.HELPERS_UPLOAD_MAX_MB},
        )
    not_an_image = ValidationError(
        _("“%(name)s” is not a photo we can read. Please send a JPEG or PNG picture."),
        code="not_an_image",
        params={"name": upload.name},
    )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    finally:
        upload.seek(0)
    if kind not in ACCEPTED_FORMATS:
        raise not_an_image
    # The name the phone gave says nothing reliable; what Pillow read does.
    upload.name = f"photo.{ACCEPTED_FORMATS[kind]}"
    return upload
