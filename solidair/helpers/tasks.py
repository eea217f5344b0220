"""Background jobs of the helpers app (see settings.PERIODIC_JOBS)."""

from django_tasks import task


@task()
def identity_images_purge() -> int:
    """No identity image is kept longer than HELPERS_IDENTITY_KEEP_DAYS, decided or not."""
    from solidair.helpers.services import identity_images_purge as purge

    return purge()


@task()
def receipts_purge() -> int:
    """No photo of a receipt is kept longer than HELPERS_RECEIPT_KEEP_DAYS after the mission."""
    from solidair.helpers.services import receipts_purge as purge

    return purge()
