"""Reads for matching: who should be offered a mission, and which missions a helper
sees. Both search grid cells in widening rings (an indexed query, every filter in
SQL), then compute exact distances on the short list and rank it in Python.

They return plain dataclasses holding ids, distances and reasons: never a helpee's
name, address or phone."""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidair.matching import geo, slots
from solidair.matching.models import HelperSpot, MissionSpot, OfferStatus
from solidair.missions.models import Mission, Recurrence, State, Theme
from solidair.people.models import Helper

MAX_HELPER_RADIUS_KM = 20  # the sign-up form's limit
FIRST_RING_KM = 0.5
IDLE_AFTER = timedelta(days=14)
# Points of each part of a score (the explanation shows them).
POINTS_DISTANCE = 40.0
POINTS_RELIABILITY = 20.0
POINTS_LOAD = 15.0
POINTS_AVAILABLE_NOW = 10.0
POINTS_PREVIOUS_HELPER = 100.0
POINTS_SECOND_PREVIOUS_HELPER = 50.0
POINTS_IDLE = 25.0
POINTS_PER_ALERT_TODAY = -3.0


@dataclass(frozen=True)
class Reason:
    text: str
    points: float


@dataclass
class Candidate:
    helper_id: int
    distance_km: float
    score: float = 0.0
    reasons: list[Reason] = field(default_factory=list)
    role: str = ""  # "previous" (helped this helpee before), "backup", or ""


@dataclass(frozen=True)
class Target:
    """What a ranking looks for: a published mission, without anything personal."""

    organisation_id: int
    latitude: float
    longitude: float
    theme_id: int
    needs_proximity: bool
    reach_km: int
    language_mask: int
    asap: bool
    week_mask: int
    previous_helper_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Seeker:
    """Who a feed is for: a helper's place, reach, languages and themes."""

    helper_id: int
    organisation_id: int
    latitude: float
    longitude: float
    radius_km: int
    language_mask: int
    theme_ids: tuple[int, ...]


@dataclass(frozen=True)
class FeedCard:
    mission_id: int
    theme_name: str
    postcode: str
    locality: str
    distance_km: int  # rounded, at least 1: never a precise position
    by_phone: bool
    asap: bool
    starts_at: datetime | None
    ends_at: datetime | None
    urgent: bool
    summary: str


# Columns a ranking reads: all in the helperspot_search index.
_RANK_COLUMNS = (
    "helper_id",
    "latitude",
    "longitude",
    "radius_km",
    "reliability",
    "load_week",
    "load_count",
    "max_per_week",
    "available_now",
    "alerts_day",
    "alerts_today",
    "last_assigned_at",
)


@dataclass(frozen=True)
class _Row:
    helper_id: int
    latitude: float
    longitude: float
    radius_km: int
    reliability: float
    load_week: int
    load_count: int
    max_per_week: int
    available_now: bool
    alerts_day: date | None
    alerts_today: int
    last_assigned_at: datetime | None

    @property
    def pk_key(self) -> int:
        return self.helper_id


def _squared_km(latitude: float, longitude: float) -> tuple[str, list[float]]:
    """Squared distance to a point in the local flat projection, as SQL: arithmetic
    only, so both databases compute it without extensions."""
    kx = geo.km_per_degree_longitude(latitude)
    ky = geo.KM_PER_DEGREE_LATITUDE
    sql = "((longitude - %s) * (longitude - %s) * %s + (latitude - %s) * (latitude - %s) * %s)"
    return sql, [longitude, longitude, kx * kx, latitude, latitude, ky * ky]


def _cells_sql(box: geo.Box | None) -> tuple[str, list[int]]:
    if box is None:
        return "", []
    xs = box.cell_xs
    marks = ", ".join(["%s"] * len(xs))
    return f" AND cell_x IN ({marks}) AND cell_y BETWEEN %s AND %s", [*xs, *box.cell_y_range]


def _select(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _helper_rows(
    target: Target,
    *,
    now: datetime,
    exclude: Iterable[int] = (),
    alert_cap: int | None = None,
    box: geo.Box | None = None,
    extra: str = "",
    extra_params: Iterable[Any] = (),
    order: str = "",
    limit: int | None = None,
) -> list[_Row]:
    """Helpers who pass every filter of a ranking, read in one SQL query.

    Hand-written SQL, through Django's connection: the ORM took about 3 ms to build and
    compile this query, ten times what the database takes to answer it (docs/matching.md).
    It reads only columns of the helperspot_search index."""
    local = timezone.localtime(now)
    week = slots.iso_week(local.date())
    where = [
        "organisation_id = %s AND verified = %s AND paused = %s",
        "(language_mask & %s) != 0 AND (theme_mask & %s) != 0",
        "(load_week != %s OR load_count < max_per_week)",
    ]
    params: list[Any] = [target.organisation_id, True, False]
    params += [target.language_mask, slots.theme_bit(target.theme_id), week]
    if target.asap:
        where.append("(available_now = %s OR (week_mask & %s) != 0)")
        params += [True, slots.current_slot(local)]
    else:
        where.append("(week_mask & %s) != 0")
        params.append(target.week_mask)
    if alert_cap is not None:
        where.append("(alerts_day IS NULL OR alerts_day != %s OR alerts_today < %s)")
        params += [local.date(), alert_cap]
    if target.needs_proximity:
        # Within the helper's own reach; the exact distance is checked again in Python.
        away, away_params = _squared_km(target.latitude, target.longitude)
        where.append(f"{away} <= radius_km * radius_km * 1.01")
        params += away_params
    exclude = list(exclude)
    if exclude:
        where.append(f"helper_id NOT IN ({', '.join(['%s'] * len(exclude))})")
        params += exclude
    cells, cell_params = _cells_sql(box)
    sql = (
        f"SELECT {', '.join(_RANK_COLUMNS)} FROM {HelperSpot._meta.db_table} "  # noqa: S608
        f"WHERE {' AND '.join(where)}{cells}{extra}{order}"
    )
    params += [*cell_params, *extra_params]
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    return [
        _Row(*row[:9], _as_date(row[9]), row[10], _as_datetime(row[11]))  # type: ignore[call-arg]
        for row in _select(sql, params)
    ]


def _as_date(value: Any) -> date | None:
    # SQLite hands back text through a raw cursor.
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _nearest(
    fetch: Callable[[geo.Box], list[Any]],
    *,
    latitude: float,
    longitude: float,
    reach_km: float,
    wanted: int,
    within: Callable[[float, Any], bool],
) -> list[tuple[float, Any]]:
    """The `wanted` nearest rows within `reach_km` (and `within(distance, row)`), found
    in rings that widen until enough are found: a dense city reads a few hundred rows,
    the countryside a few more rings."""
    ring = min(FIRST_RING_KM, reach_km)
    while True:
        box = geo.box_around(latitude, longitude, ring)
        found = []
        for row in fetch(box):
            distance = geo.haversine_km(latitude, longitude, row.latitude, row.longitude)
            if distance <= ring and within(distance, row):
                found.append((distance, row))
        if len(found) >= wanted or ring >= reach_km:
            found.sort(key=lambda pair: (pair[0], pair[1].pk_key))
            return found[:wanted]
        # Guess the ring that holds enough from the density seen so far.
        growth = math.sqrt(wanted / len(found)) * 1.2 if found else 3.0
        ring = min(reach_km, ring * max(1.5, min(growth, 8.0)))


def rank_target(
    target: Target,
    *,
    limit: int = 20,
    radius_km: float | None = None,
    exclude: Iterable[int] = (),
    alert_cap: int | None = None,
    now: datetime | None = None,
) -> list[Candidate]:
    """The best `limit` helpers for `target`, best first, each with its reasons."""
    now = now or timezone.now()

    def fetch(**kwargs: Any) -> list[_Row]:
        return _helper_rows(target, now=now, exclude=exclude, alert_cap=alert_cap, **kwargs)

    reach = float(MAX_HELPER_RADIUS_KM)
    if target.needs_proximity:
        reach = min(reach, float(target.reach_km))
    if radius_km is not None:
        reach = min(reach, float(radius_km))
    wanted = max(limit * 2, 10)
    pairs = _nearest(
        lambda box: fetch(box=box),
        latitude=target.latitude,
        longitude=target.longitude,
        reach_km=reach,
        wanted=wanted,
        within=lambda distance, row: not target.needs_proximity or distance <= row.radius_km,
    )
    rows: dict[int, tuple[float, _Row]] = {row.helper_id: (d, row) for d, row in pairs}
    if not target.needs_proximity:
        # Help by phone reaches anyone: helpers idle for two weeks first, then others.
        idle_since = now - IDLE_AFTER
        extra = fetch(
            extra=" AND (last_assigned_at < %s OR (last_assigned_at IS NULL AND joined_at < %s))",
            extra_params=[idle_since, idle_since],
            order=" ORDER BY last_assigned_at IS NOT NULL, last_assigned_at, helper_id",
            limit=limit,
        )
        if len(rows) + len(extra) < wanted:
            extra += fetch(order=" ORDER BY helper_id", limit=wanted)
        for row in extra:
            distance = geo.haversine_km(
                target.latitude, target.longitude, row.latitude, row.longitude
            )
            rows.setdefault(row.helper_id, (distance, row))
    previous = [pk for pk in target.previous_helper_ids if pk not in rows]
    if previous:
        marks = ", ".join(["%s"] * len(previous))
        for row in fetch(extra=f" AND helper_id IN ({marks})", extra_params=previous):
            distance = geo.haversine_km(
                target.latitude, target.longitude, row.latitude, row.longitude
            )
            if not target.needs_proximity or distance <= min(reach, row.radius_km):
                rows[row.helper_id] = (distance, row)
    local_day = timezone.localtime(now).date()
    texts = {key: str(text) for key, text in REASONS.items()}
    candidates = [
        _score(target, distance, row, now, local_day, texts) for distance, row in rows.values()
    ]
    candidates.sort(key=lambda c: (-c.score, c.distance_km, c.helper_id))
    candidates = candidates[:limit]
    if (
        target.previous_helper_ids
        and candidates
        and not any(c.role == "backup" for c in candidates)
    ):
        backup = next((c for c in candidates if not c.role), None)
        if backup is not None and any(c.role == "previous" for c in candidates):
            backup.role = "backup"
            backup.reasons.append(Reason(_("Backup, should the previous helper not answer"), 0))
    return candidates


# The reasons staff read, translated once per ranking.
REASONS = {
    "away": gettext_lazy("%(distance)s km away"),
    "by_phone": gettext_lazy("Help by phone: the distance does not matter"),
    "kept": gettext_lazy("Kept %(percent)s%% of the missions they took"),
    "load": gettext_lazy("%(count)s of at most %(max)s missions this week"),
    "now": gettext_lazy("Available now"),
    "window": gettext_lazy("Available at that time"),
    "usually": gettext_lazy("Usually available at this time of day"),
    "previous": gettext_lazy("Helped this person last time: asked first"),
    "second": gettext_lazy("Helped this person before: the backup"),
    "idle": gettext_lazy("No mission for two weeks: offered help by phone"),
    "alerted": gettext_lazy("Already alerted %(count)s times today"),
}


def _score(
    target: Target,
    distance: float,
    row: _Row,
    now: datetime,
    local_day: date,
    texts: dict[str, str],
) -> Candidate:
    reasons: list[Reason] = []
    if target.needs_proximity:
        points = POINTS_DISTANCE * max(0.0, 1 - distance / max(target.reach_km, 1))
        reasons.append(Reason(texts["away"] % {"distance": f"{distance:.1f}"}, points))
    else:
        reasons.append(Reason(texts["by_phone"], 0))
    reasons.append(
        Reason(
            texts["kept"] % {"percent": round(row.reliability * 100)},
            POINTS_RELIABILITY * row.reliability,
        )
    )
    load = row.load_count if row.load_week == slots.iso_week(local_day) else 0
    reasons.append(
        Reason(
            texts["load"] % {"count": load, "max": row.max_per_week},
            POINTS_LOAD * (1 - load / row.max_per_week) if row.max_per_week else 0,
        )
    )
    if target.asap and row.available_now:
        reasons.append(Reason(texts["now"], POINTS_AVAILABLE_NOW))
    elif not target.asap:
        reasons.append(Reason(texts["window"], 0))
    else:
        reasons.append(Reason(texts["usually"], 0))
    role = ""
    if row.helper_id in target.previous_helper_ids:
        if target.previous_helper_ids.index(row.helper_id) == 0:
            role = "previous"
            reasons.append(Reason(texts["previous"], POINTS_PREVIOUS_HELPER))
        else:
            role = "backup"
            reasons.append(Reason(texts["second"], POINTS_SECOND_PREVIOUS_HELPER))
    if not target.needs_proximity and (
        row.last_assigned_at is None or row.last_assigned_at < now - IDLE_AFTER
    ):
        reasons.append(Reason(texts["idle"], POINTS_IDLE))
    alerts = row.alerts_today if row.alerts_day == local_day else 0
    if alerts:
        reasons.append(
            Reason(
                texts["alerted"] % {"count": alerts},
                POINTS_PER_ALERT_TODAY * alerts,
            )
        )
    score = round(sum(reason.points for reason in reasons), 1)
    return Candidate(row.helper_id, round(distance, 2), score, reasons, role)


def target_for(mission: Mission, *, now: datetime | None = None) -> Target:
    theme, helpee = mission.theme, mission.helpee
    continuity = mission.recurrence == Recurrence.WEEKLY or not theme.needs_proximity
    return Target(
        organisation_id=mission.organisation_id,
        latitude=helpee.latitude,
        longitude=helpee.longitude,
        theme_id=theme.pk,
        needs_proximity=theme.needs_proximity,
        reach_km=theme.reach_km,
        language_mask=slots.language_mask(helpee.language),
        asap=mission.day is None,
        week_mask=slots.window_mask(mission.day, mission.time_from, mission.time_to)
        if mission.day
        else 0,
        previous_helper_ids=previous_helpers(mission) if continuity else (),
    )


def target_from_spot(spot: MissionSpot) -> Target:
    """A ranking's target read from the map alone (no continuity: that needs the
    helpee's history)."""
    return Target(
        organisation_id=spot.organisation_id,
        latitude=spot.latitude,
        longitude=spot.longitude,
        theme_id=spot.theme_id,
        needs_proximity=spot.needs_proximity,
        reach_km=spot.reach_km,
        language_mask=spot.language_mask,
        asap=spot.asap,
        week_mask=spot.week_mask,
    )


def previous_helpers(mission: Mission) -> tuple[int, ...]:
    """The helpers who helped this helpee before with this theme, the latest first."""
    helper_ids = (
        Mission.objects.filter(
            helpee_id=mission.helpee_id,
            theme_id=mission.theme_id,
            helper__isnull=False,
            state__in=[State.DONE, State.ASSIGNED, State.IN_PROGRESS],
        )
        .exclude(pk=mission.pk)
        .order_by("-updated_at")
        .values_list("helper_id", flat=True)[:10]
    )
    return tuple(dict.fromkeys(helper_ids))[:2]


def rank_helpers(
    *, mission: Mission, limit: int = 20, radius_km: float | None = None
) -> list[Candidate]:
    """The verified helpers who fit `mission` best, best first, with why."""
    return rank_target(target_for(mission), limit=limit, radius_km=radius_km)


# The feed.

_FEED_COLUMNS = (
    "mission_id",
    "theme_id",
    "latitude",
    "longitude",
    "reach_km",
    "needs_proximity",
    "when_day",
    "urgent",
)


@dataclass(frozen=True)
class _MissionRow:
    mission_id: int
    theme_id: int
    latitude: float
    longitude: float
    reach_km: int
    needs_proximity: bool
    when_day: int
    urgent: bool

    @property
    def pk_key(self) -> int:
        return self.mission_id


def seeker_for(helper: Helper) -> Seeker | None:
    """None for a helper who may not see missions (not verified, or paused)."""
    spot = HelperSpot.objects.filter(helper=helper).first()
    if spot is None:
        from solidair.matching.services import helper_spot_sync

        spot = helper_spot_sync(helper=helper)
    if not spot.verified or spot.paused:
        return None
    return seeker_from_spot(spot)


def seeker_from_spot(spot: HelperSpot) -> Seeker:
    return Seeker(
        helper_id=spot.helper_id,
        organisation_id=spot.organisation_id,
        latitude=spot.latitude,
        longitude=spot.longitude,
        radius_km=spot.radius_km,
        language_mask=spot.language_mask,
        theme_ids=tuple(int(i) for i in spot.theme_ids.strip(",").split(",") if i),
    )


def feed_near(seeker: Seeker, *, limit: int = 20) -> list[FeedCard]:
    """Published missions for `seeker`: near them (within their reach and the theme's),
    or anywhere for help by phone; in their themes and languages; soonest, then nearest."""
    from solidair.matching.models import Offer

    if not seeker.theme_ids or not seeker.language_mask:
        return []
    themes = {theme.pk: theme for theme in Theme.objects.filter(pk__in=seeker.theme_ids)}
    near_reach = max(
        (t.reach_km for t in themes.values() if t.needs_proximity and t.active), default=0
    )
    declined = [
        row[0]
        for row in _select(
            f"SELECT mission_id FROM {Offer._meta.db_table} "  # noqa: S608
            "WHERE helper_id = %s AND status = %s",
            [seeker.helper_id, OfferStatus.DECLINED.value],
        )
    ]
    wanted = limit * 3
    pairs: list[tuple[float, _MissionRow]] = []
    reach = min(seeker.radius_km, near_reach)

    def fetch(
        near: bool, box: geo.Box | None = None, order: str = "", rows: int | None = None
    ) -> list[_MissionRow]:
        where = [
            "organisation_id = %s AND needs_proximity = %s AND (language_mask & %s) != 0",
            f"theme_id IN ({', '.join(['%s'] * len(themes))})",
        ]
        params: list[Any] = [seeker.organisation_id, near, seeker.language_mask, *themes]
        if declined:
            where.append(f"mission_id NOT IN ({', '.join(['%s'] * len(declined))})")
            params += declined
        if near:
            away, away_params = _squared_km(seeker.latitude, seeker.longitude)
            where.append(f"{away} <= reach_km * reach_km * 1.01")
            params += away_params
        cells, cell_params = _cells_sql(box)
        sql = (
            f"SELECT {', '.join(_FEED_COLUMNS)} FROM {MissionSpot._meta.db_table} "  # noqa: S608
            f"WHERE {' AND '.join(where)}{cells}{order}"
        )
        params += cell_params
        if rows is not None:
            sql += " LIMIT %s"
            params.append(rows)
        return [_MissionRow(*row) for row in _select(sql, params)]

    if reach > 0:
        pairs += _nearest(
            lambda box: fetch(True, box),
            latitude=seeker.latitude,
            longitude=seeker.longitude,
            reach_km=reach,
            wanted=wanted,
            within=lambda distance, row: distance <= row.reach_km,
        )
    if any(not t.needs_proximity for t in themes.values()):
        for row in fetch(False, order=" ORDER BY when_day, mission_id", rows=limit):
            distance = geo.haversine_km(
                seeker.latitude, seeker.longitude, row.latitude, row.longitude
            )
            pairs.append((distance, row))
    pairs.sort(key=lambda pair: (pair[1].when_day, not pair[1].urgent, pair[0], pair[1].mission_id))
    pairs = pairs[:limit]
    details = {
        spot["mission_id"]: spot
        for spot in MissionSpot.objects.filter(
            mission_id__in=[row.mission_id for _d, row in pairs]
        ).values("mission_id", "postcode", "locality", "asap", "starts_at", "ends_at", "summary")
    }
    cards = []
    for distance, row in pairs:
        spot = details[row.mission_id]
        cards.append(
            FeedCard(
                mission_id=row.mission_id,
                theme_name=themes[row.theme_id].name,
                postcode=spot["postcode"],
                locality=spot["locality"],
                distance_km=max(1, round(distance)),
                by_phone=not row.needs_proximity,
                asap=spot["asap"],
                starts_at=spot["starts_at"],
                ends_at=spot["ends_at"],
                urgent=row.urgent,
                summary=spot["summary"],
            )
        )
    return cards


def feed_for(*, helper: Helper, limit: int = 20) -> list[FeedCard]:
    seeker = seeker_for(helper)
    return feed_near(seeker, limit=limit) if seeker is not None else []
