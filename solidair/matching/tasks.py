"""Background jobs of matching. Each takes ids, never objects, and calls a service."""

from django_tasks import task


@task()
def dispatch_wave_run(mission_id: int) -> int:
    from solidair.matching.services import dispatch_wave

    return dispatch_wave(mission_id=mission_id)


@task()
def waves_send() -> int:
    """The safety net, every minute: published missions whose next wave is overdue."""
    from solidair.matching.services import dispatch_overdue

    return dispatch_overdue()
