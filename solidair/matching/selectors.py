"""Reads for matching: who should be offered a mission, and which missions a helper
sees. Both ask the database for the nearest rows that pass every filter, in a circle
that widens only when it holds too few (one indexed query, filters, order and limit
in SQL), then compute exact distances on that short list and rank it in Python.

They return plain dataclasses holding ids, distances and reasons: never a helpee's
name, address or phone."""

import functools
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, Protocol, TypeVar

from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from solidair.matching import geo, slots
from solidair.matching.models import HelperSpot, MissionSpot, Offer, OfferStatus
from solidair.missions.models import Mission, Recurrence, State, Theme
from solidair.people.models import Helper

MAX_HELPER_RADIUS_KM = 20  # the sign-up form's limit
# The first circle holds about this many index entries (of any helper or mission, fit
# or not), judged from a map of densities: reading them costs about what one more query
# costs, and they usually hold enough. A twentieth of helpers fit a mission (ranking);
# a third of the missions fit a helper (feed). The map is counted once per process and
# again every DENSITY_SECONDS.
RANK_FIRST_ENTRIES = 1500
FEED_FIRST_ENTRIES = 600
FIRST_RING_MIN_KM = 0.25
DENSITY_TILE_CELLS = 8  # tiles of 8 × 8 cells: 2 km wide
DENSITY_SECONDS = 600
# Rows asked beyond those wanted: room for the few the exact distance then leaves out.
SPARE_ROWS = 10
# Past this share of the reach, the next circle is the whole reach.
WHOLE_REACH_AT = 0.7
# How much wider than the density found suggests the next circle is.
RING_MARGIN = 1.15
# At most this much wider each time: a circle at a city's edge finds few around it.
MAX_GROWTH = 3.0
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


# SQL, by hand: the ORM took about 3 ms to build and compile a ranking query, ten times
# what the database takes to answer it (docs/matching.md). Still through Django's
# connection, with parameters; the same text each time on PostgreSQL (lists as one
# array), so that it can be prepared once per connection.


class _Query:
    """A query's WHERE terms and named parameters, built piece by piece."""

    def __init__(self) -> None:
        self.where: list[str] = []
        self.params: dict[str, Any] = {}

    def add(self, term: str, **params: Any) -> None:
        self.where.append(term)
        self.params.update(params)

    def among(self, column: str, name: str, values: Sequence[Any], *, negate: bool = False) -> None:
        """`column` is (or, with negate, is not) one of `values`."""
        if connection.vendor == "postgresql":
            self.add(
                f"{column} {'<> ALL' if negate else '= ANY'}(%({name})s)", **{name: list(values)}
            )
            return
        names = [f"{name}_{i}" for i in range(len(values))]
        marks = ", ".join(f"%({n})s" for n in names)
        self.add(
            f"{column} {'NOT IN' if negate else 'IN'} ({marks})",
            **dict(zip(names, values, strict=True)),
        )

    def near(self, latitude: float, longitude: float) -> str:
        """The squared flat distance to a point (geo.flat_factors), as SQL."""
        kx2, ky2 = geo.flat_factors(latitude)
        self.params.update(at_lat=latitude, at_lng=longitude, kx2=kx2, ky2=ky2)
        return (
            "(%(kx2)s * (longitude - %(at_lng)s) * (longitude - %(at_lng)s)"
            " + %(ky2)s * (latitude - %(at_lat)s) * (latitude - %(at_lat)s))"
        )

    def sql(
        self,
        columns: Sequence[str],
        table: str,
        *,
        cells: Sequence[tuple[int, int, int]] = (),
        order: str = "",
        limit: int = 0,
    ) -> str:
        """The SELECT; with `cells` (geo.cell_ranges), one range of the index per
        column of cells, joined so that each is one indexed search."""
        source = table
        if cells and connection.vendor == "postgresql":
            # As text: psycopg writes a list of numbers one by one, in Python.
            source = (
                "unnest(string_to_array(%(cell_x)s, ',')::integer[],"
                " string_to_array(%(cell_lo)s, ',')::integer[],"
                " string_to_array(%(cell_hi)s, ',')::integer[])"
                f" AS cells (x, lo, hi) JOIN {table}"
                " ON cell_x = cells.x AND cell_y BETWEEN cells.lo AND cells.hi"
            )
            xs, los, his = zip(*cells, strict=True)
            self.params.update(
                cell_x=",".join(map(str, xs)),
                cell_lo=",".join(map(str, los)),
                cell_hi=",".join(map(str, his)),
            )
        elif cells:
            rows = []
            for i, (x, lo, hi) in enumerate(cells):
                rows.append(f"(%(x{i})s, %(lo{i})s, %(hi{i})s)")
                self.params.update({f"x{i}": x, f"lo{i}": lo, f"hi{i}": hi})
            source = (
                f"(VALUES {', '.join(rows)}) AS cells JOIN {table}"
                " ON cell_x = cells.column1 AND cell_y BETWEEN cells.column2 AND cells.column3"
            )
        text = f"SELECT {', '.join(columns)} FROM {source} WHERE {' AND '.join(self.where)}"  # noqa: S608
        if order:
            text += f" ORDER BY {order}"
        if limit:
            text += " LIMIT %(rows)s"
            self.params["rows"] = limit
        return text


def _select(sql: str, params: dict[str, Any]) -> list[tuple]:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    # Django's cursors bind parameters on the client, which PostgreSQL cannot prepare;
    # this one binds them on the server, still wrapped by Django (errors, query log),
    # and is prepared when the connection allows it (OPTIONS "prepare_threshold").
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        ServerBindingCursor,
    )

    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = ServerBindingCursor(connection.connection)
    wrapped = (
        connection.make_debug_cursor(raw)
        if connection.queries_logged
        else connection.make_cursor(raw)
    )
    with wrapped as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Spot(Protocol):
    @property
    def latitude(self) -> float: ...

    @property
    def longitude(self) -> float: ...

    @property
    def pk_key(self) -> int: ...


Row = TypeVar("Row", bound=_Spot)


Cells = list[tuple[int, int, int]]  # (x, first y, last y): geo.cell_ranges


def _cells_minus(cells: Cells, read: dict[int, tuple[int, int]]) -> Cells:
    """The ranges of `cells` not yet `read` (a smaller circle's, per column)."""
    left = []
    for x, first, last in cells:
        if x not in read:
            left.append((x, first, last))
            continue
        read_first, read_last = read[x]
        if first < read_first:
            left.append((x, first, read_first - 1))
        if last > read_last:
            left.append((x, read_last + 1, last))
    return left


# (table, organisation) → (when counted, entries per tile)
_densities: dict[tuple[str, int], tuple[float, dict[tuple[int, int], int]]] = {}


def _tile(cell: int) -> int:
    # As SQL's integer division does: towards zero.
    return cell // DENSITY_TILE_CELLS if cell >= 0 else -(-cell // DENSITY_TILE_CELLS)


def _first_ring(
    table: str, organisation_id: int, latitude: float, longitude: float, *, entries: int
) -> float:
    """The radius of a circle holding about `entries` index entries around a point,
    from the densities of the 3 × 3 tiles around it (the densest of the middle one and
    of their mean). Only the speed of a search depends on it, never its result."""
    counted = _densities.get((table, organisation_id))
    if counted is None or time.monotonic() - counted[0] > DENSITY_SECONDS:
        query = _Query()
        query.add("organisation_id = %(organisation)s", organisation=organisation_id)
        tile = f"cell_x / {DENSITY_TILE_CELLS}, cell_y / {DENSITY_TILE_CELLS}"
        sql = query.sql([tile, "count(*)"], table) + f" GROUP BY {tile}"
        counts = {(x, y): n for x, y, n in _select(sql, query.params)}
        counted = (time.monotonic(), counts)
        _densities[(table, organisation_id)] = counted
    counts = counted[1]
    x, y = (_tile(cell) for cell in geo.cell_of(latitude, longitude))
    around = [counts.get((x + dx, y + dy), 0) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    per_tile = max(around[4], sum(around) / 9)
    if not per_tile:
        return math.inf
    per_km2 = per_tile / (DENSITY_TILE_CELLS * geo.CELL_KM) ** 2
    return max(FIRST_RING_MIN_KM, math.sqrt(entries / (math.pi * per_km2)))


def _nearest(
    fetch: Callable[[Cells, int], list[Row]],
    *,
    first_ring: float,
    latitude: float,
    longitude: float,
    reach_km: float,
    wanted: int,
    within: Callable[[float, Row], bool],
) -> list[tuple[float, Row]]:
    """The `wanted` nearest rows (haversine) within `reach_km` and `within(distance,
    row)`, nearest first.

    `fetch(cells, rows)` returns at most `rows` rows of those cells that pass every
    filter, the nearest first in the flat projection. The search starts with a small
    circle and, while it holds too few, reads the ring around it that should hold
    enough, guessed from the density found: each index entry is read once, and a
    dense city reads a few hundred."""
    ring = min(first_ring, reach_km)
    rows = wanted + SPARE_ROWS
    seen: dict[int, tuple[float, Row]] = {}
    read: dict[int, tuple[int, int]] = {}  # cells all of whose fitting rows are seen
    while True:
        cells = geo.cell_ranges(latitude, longitude, ring)
        todo = _cells_minus(cells, read)
        got = fetch(todo, rows) if todo else []
        for row in got:
            distance = geo.haversine_km(latitude, longitude, row.latitude, row.longitude)
            seen[row.pk_key] = (distance, row)
        found = sorted(
            (pair for pair in seen.values() if pair[0] <= ring and within(*pair)),
            key=lambda pair: (pair[0], pair[1].pk_key),
        )
        if len(got) < rows:
            # Every fitting row of the circle's cells is seen.
            if len(found) >= wanted or ring >= reach_km:
                return found[:wanted]
            read = {x: (first, last) for x, first, last in cells}
        else:
            # Rows left out are farther, in the flat projection, than the last one
            # returned: enough if the wanted ones are all nearer than that.
            last = got[-1]
            edge = geo.flat_km(latitude, longitude, last.latitude, last.longitude)
            if len(found) >= wanted and found[wanted - 1][0] < edge / (1 + geo.FLAT_ERROR):
                return found[:wanted]
            # Otherwise read the next circle whole, or (rare: many rows at the same
            # distance, or beyond the edge) this one again with more rows.
            seen, read = {}, {}
            if len(found) >= wanted or ring >= reach_km:
                rows *= 2
                continue
        # Guess the circle that holds enough from the density seen so far.
        growth = math.sqrt(wanted / len(found)) * RING_MARGIN if found else 4.0
        ring = min(reach_km, ring * max(1.5, min(growth, MAX_GROWTH)))
        if ring >= WHOLE_REACH_AT * reach_km:
            ring = reach_km


# The ranking.

# Columns a ranking reads: all in the helperspot_search index.
_RANK_COLUMNS = (
    "helper_id",
    "latitude",
    "longitude",
    "radius_km",
    "reliability",
    # Worked out in SQL, so that no date is parsed in Python for each row.
    "CASE WHEN load_week = %(week)s THEN load_count ELSE 0 END",
    "max_per_week",
    "available_now",
    "CASE WHEN alerts_day = %(today)s THEN alerts_today ELSE 0 END",
    "(last_assigned_at IS NULL OR last_assigned_at < %(idle_since)s)",
)


class _Row(NamedTuple):
    helper_id: int
    latitude: float
    longitude: float
    radius_km: int
    reliability: float
    load: int  # missions taken this week
    max_per_week: int
    available_now: bool
    alerts: int  # offers sent today
    idle: bool  # no mission for two weeks

    @property
    def pk_key(self) -> int:
        return self.helper_id


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _helper_filters(
    target: Target,
    *,
    now: datetime,
    exclude: Sequence[int],
    alert_cap: int | None,
) -> _Query:
    """Every filter of a ranking, on columns of the helperspot_search index; the most
    selective first (SQLite tests them in this order)."""
    local = timezone.localtime(now)
    query = _Query()
    query.add(
        "organisation_id = %(organisation)s",
        organisation=target.organisation_id,
        yes=True,
        no=False,
        today=local.date(),
        idle_since=connection.ops.adapt_datetimefield_value(now - IDLE_AFTER),
    )
    if target.asap:
        query.add(
            "(available_now = %(yes)s OR (week_mask & %(slot)s) != 0)",
            slot=slots.current_slot(local),
        )
    else:
        query.add("(week_mask & %(window)s) != 0", window=target.week_mask)
    query.add(
        "(theme_mask & %(theme)s) != 0 AND (language_mask & %(language)s) != 0",
        theme=slots.theme_bit(target.theme_id),
        language=target.language_mask,
    )
    query.add("verified = %(yes)s AND paused = %(no)s")
    query.add(
        "(load_week != %(week)s OR load_count < max_per_week)",
        week=slots.iso_week(local.date()),
    )
    if alert_cap is not None:
        query.add(
            "(alerts_day IS NULL OR alerts_day != %(today)s OR alerts_today < %(cap)s)",
            cap=alert_cap,
        )
    if exclude:
        query.among("helper_id", "exclude", list(exclude), negate=True)
    return query


def _helper_rows(query: _Query, **sql: Any) -> list[_Row]:
    text = query.sql(_RANK_COLUMNS, HelperSpot._meta.db_table, **sql)
    return list(map(_Row._make, _select(text, query.params)))


def _extended(query: _Query) -> _Query:
    copy = _Query()
    copy.where, copy.params = list(query.where), dict(query.params)
    return copy


def rank_target(
    target: Target,
    *,
    limit: int = 20,
    radius_km: float | None = None,
    exclude: Iterable[int] = (),
    alert_cap: int | None = None,
    now: datetime | None = None,
) -> list[Candidate]:
    """The best `limit` helpers for `target`, best first, each with its reasons: the
    nearest eligible (twice as many as asked), scored."""
    now = now or timezone.now()
    filters = _helper_filters(target, now=now, exclude=list(exclude), alert_cap=alert_cap)
    reach = float(MAX_HELPER_RADIUS_KM)
    if target.needs_proximity:
        reach = min(reach, float(target.reach_km))
    if radius_km is not None:
        reach = min(reach, float(radius_km))
    wanted = max(limit * 2, 10)

    def fetch(cells: Cells, rows: int) -> list[_Row]:
        query = _extended(filters)
        away = query.near(target.latitude, target.longitude)
        if target.needs_proximity:
            # Within the helper's own reach too.
            query.add(f"{away} <= %(reach_slack)s * radius_km * radius_km")
            query.params["reach_slack"] = (1 + geo.FLAT_ERROR) ** 2
        return _helper_rows(query, cells=cells, order=away, limit=rows)

    pairs = _nearest(
        fetch,
        first_ring=_first_ring(
            HelperSpot._meta.db_table,
            target.organisation_id,
            target.latitude,
            target.longitude,
            entries=RANK_FIRST_ENTRIES,
        ),
        latitude=target.latitude,
        longitude=target.longitude,
        reach_km=reach,
        wanted=wanted,
        within=lambda distance, row: not target.needs_proximity or distance <= row.radius_km,
    )
    rows: dict[int, tuple[float, _Row]] = {row.helper_id: (d, row) for d, row in pairs}

    def distance_to(row: _Row) -> float:
        return geo.haversine_km(target.latitude, target.longitude, row.latitude, row.longitude)

    if not target.needs_proximity:
        # Help by phone reaches anyone: helpers idle for two weeks first, then others.
        idle = _extended(filters)
        idle.add(
            "(last_assigned_at < %(idle_since)s"
            " OR (last_assigned_at IS NULL AND joined_at < %(idle_since)s))"
        )
        extra = _helper_rows(
            idle,
            order="last_assigned_at IS NOT NULL, last_assigned_at, helper_id",
            limit=limit,
        )
        if len(rows) + len(extra) < wanted:
            extra += _helper_rows(_extended(filters), order="helper_id", limit=wanted)
        for row in extra:
            rows.setdefault(row.helper_id, (distance_to(row), row))
    previous = [pk for pk in target.previous_helper_ids if pk not in rows]
    if previous:
        query = _extended(filters)
        query.among("helper_id", "previous", previous)
        for row in _helper_rows(query):
            distance = distance_to(row)
            if not target.needs_proximity or distance <= min(reach, row.radius_km):
                rows[row.helper_id] = (distance, row)
    scored = [_score(target, distance, row) for distance, row in rows.values()]
    scored.sort(key=lambda s: (-s.score, round(s.distance, 2), s.row.helper_id))
    texts = _reason_texts(get_language())
    candidates = [s.candidate(texts) for s in scored[:limit]]
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


# The reasons staff read, translated once per language.
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


@functools.lru_cache(maxsize=16)
def _reason_texts(language: str | None) -> dict[str, str]:
    # `language` is the active one, in which str() translates: the cache's key.
    return {key: str(text) for key, text in REASONS.items()}


@dataclass
class _Scored:
    """A score and its parts, whose texts are written only for those shown."""

    row: _Row
    distance: float
    score: float
    parts: list[tuple[str, dict[str, Any], float]]
    role: str

    def candidate(self, texts: dict[str, str]) -> Candidate:
        reasons = [
            Reason(texts[key] % values if values else texts[key], points)
            for key, values, points in self.parts
        ]
        return Candidate(
            self.row.helper_id, round(self.distance, 2), self.score, reasons, self.role
        )


def _score(target: Target, distance: float, row: _Row) -> _Scored:
    parts: list[tuple[str, dict[str, Any], float]] = []
    if target.needs_proximity:
        points = POINTS_DISTANCE * max(0.0, 1 - distance / max(target.reach_km, 1))
        parts.append(("away", {"distance": f"{distance:.1f}"}, points))
    else:
        parts.append(("by_phone", {}, 0))
    parts.append(
        (
            "kept",
            {"percent": round(row.reliability * 100)},
            POINTS_RELIABILITY * row.reliability,
        )
    )
    parts.append(
        (
            "load",
            {"count": row.load, "max": row.max_per_week},
            POINTS_LOAD * (1 - row.load / row.max_per_week) if row.max_per_week else 0,
        )
    )
    if target.asap and row.available_now:
        parts.append(("now", {}, POINTS_AVAILABLE_NOW))
    elif not target.asap:
        parts.append(("window", {}, 0))
    else:
        parts.append(("usually", {}, 0))
    role = ""
    if row.helper_id in target.previous_helper_ids:
        if target.previous_helper_ids.index(row.helper_id) == 0:
            role = "previous"
            parts.append(("previous", {}, POINTS_PREVIOUS_HELPER))
        else:
            role = "backup"
            parts.append(("second", {}, POINTS_SECOND_PREVIOUS_HELPER))
    if not target.needs_proximity and row.idle:
        parts.append(("idle", {}, POINTS_IDLE))
    if row.alerts:
        parts.append(("alerted", {"count": row.alerts}, POINTS_PER_ALERT_TODAY * row.alerts))
    score = round(sum(points for _key, _values, points in parts), 1)
    return _Scored(row, distance, score, parts, role)


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
_CARD_COLUMNS = (
    "mission_id",
    "postcode",
    "locality",
    "asap",
    "starts_at",
    "ends_at",
    "summary",
)
_THEME_COLUMNS = (
    "id",
    "key",
    "name_fr",
    "name_nl",
    "name_en",
    "name_de",
    "needs_proximity",
    "reach_km",
    "active",
)


class _MissionRow(NamedTuple):
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


def _themes(theme_ids: Sequence[int]) -> dict[int, Theme]:
    query = _Query()
    query.among("id", "theme", theme_ids)
    return {
        row[0]: Theme(**dict(zip(_THEME_COLUMNS, row, strict=True)))
        for row in _select(query.sql(_THEME_COLUMNS, Theme._meta.db_table), query.params)
    }


def feed_near(seeker: Seeker, *, limit: int = 20) -> list[FeedCard]:
    """Published missions for `seeker`: near them (within their reach and the theme's),
    or anywhere for help by phone; in their themes and languages; the nearest
    (three times as many as asked), soonest first, then nearest."""
    if not seeker.theme_ids or not seeker.language_mask:
        return []
    themes = _themes(seeker.theme_ids)
    if not themes:
        return []
    near_reach = max(
        (t.reach_km for t in themes.values() if t.needs_proximity and t.active), default=0
    )
    table = MissionSpot._meta.db_table

    def filters(near: bool) -> _Query:
        query = _Query()
        query.add(
            "organisation_id = %(organisation)s AND needs_proximity = %(near)s",
            organisation=seeker.organisation_id,
            near=near,
        )
        query.among("theme_id", "theme", list(themes))
        query.add("(language_mask & %(language)s) != 0", language=seeker.language_mask)
        # Minus those the helper said "not for me" to, or gave back: read in the same
        # query (no round trip of its own).
        query.add(
            f"mission_id NOT IN (SELECT mission_id FROM {Offer._meta.db_table}"  # noqa: S608
            " WHERE helper_id = %(helper)s AND status IN (%(declined)s, %(released)s))",
            helper=seeker.helper_id,
            declined=OfferStatus.DECLINED.value,
            released=OfferStatus.RELEASED.value,
        )
        return query

    def fetch(cells: Cells, rows: int) -> list[_MissionRow]:
        query = filters(True)
        away = query.near(seeker.latitude, seeker.longitude)
        query.add(f"{away} <= %(reach_slack)s * reach_km * reach_km")
        query.params["reach_slack"] = (1 + geo.FLAT_ERROR) ** 2
        sql = query.sql(_FEED_COLUMNS, table, cells=cells, order=away, limit=rows)
        return [_MissionRow(*row) for row in _select(sql, query.params)]

    pairs: list[tuple[float, _MissionRow]] = []
    reach = min(seeker.radius_km, near_reach)
    if reach > 0:
        pairs += _nearest(
            fetch,
            first_ring=_first_ring(
                table,
                seeker.organisation_id,
                seeker.latitude,
                seeker.longitude,
                entries=FEED_FIRST_ENTRIES,
            ),
            latitude=seeker.latitude,
            longitude=seeker.longitude,
            reach_km=reach,
            wanted=limit * 3,
            within=lambda distance, row: distance <= row.reach_km,
        )
    if any(not t.needs_proximity for t in themes.values()):
        query = filters(False)
        sql = query.sql(_FEED_COLUMNS, table, order="when_day, mission_id", limit=limit)
        for row in map(_MissionRow._make, _select(sql, query.params)):
            distance = geo.haversine_km(
                seeker.latitude, seeker.longitude, row.latitude, row.longitude
            )
            pairs.append((distance, row))
    pairs.sort(key=lambda pair: (pair[1].when_day, not pair[1].urgent, pair[0], pair[1].mission_id))
    pairs = pairs[:limit]
    if not pairs:
        return []
    query = _Query()
    query.among("mission_id", "mission", [row.mission_id for _d, row in pairs])
    details = {row[0]: row for row in _select(query.sql(_CARD_COLUMNS, table), query.params)}
    names = {pk: theme.name for pk, theme in themes.items()}
    cards = []
    for distance, row in pairs:
        _pk, postcode, locality, asap, starts_at, ends_at, summary = details[row.mission_id]
        cards.append(
            FeedCard(
                mission_id=row.mission_id,
                theme_name=names[row.theme_id],
                postcode=postcode,
                locality=locality,
                distance_km=max(1, round(distance)),
                by_phone=not row.needs_proximity,
                asap=bool(asap),
                starts_at=_as_datetime(starts_at),
                ends_at=_as_datetime(ends_at),
                urgent=bool(row.urgent),
                summary=summary,
            )
        )
    return cards


class Unfit(NamedTuple):
    """Why a helper may not take a mission from the accept URL."""

    paused: bool = False
    given_back: bool = False
    elsewhere: bool = False


def unfit(*, helper: Helper, mission: Mission) -> Unfit | None:
    """None when `helper` may take `mission`: it is a mission their feed or an offer
    could show them (same filters as `feed_near`: their themes and languages, within
    their reach and the theme's unless by phone); an unmatched mission only if they were
    offered it; never one they gave back. The accept URL asks it, so that a URL typed by
    hand gives no helper a helpee's details they could not have been offered."""
    seeker = seeker_for(helper)
    if seeker is None:
        return Unfit(paused=True)
    asked = Offer.objects.filter(mission=mission, helper=helper)
    if asked.filter(status=OfferStatus.RELEASED).exists():
        return Unfit(given_back=True)
    if mission.state == State.UNMATCHED:
        return None if asked.exists() else Unfit(elsewhere=True)
    spot = MissionSpot.objects.filter(mission=mission).first()
    if spot is None:
        return None  # not published: mission_accept says why
    fits = (
        spot.organisation_id == seeker.organisation_id
        and spot.theme_id in seeker.theme_ids
        and bool(spot.language_mask & seeker.language_mask)
    )
    if fits and spot.needs_proximity:
        distance = geo.haversine_km(
            seeker.latitude, seeker.longitude, spot.latitude, spot.longitude
        )
        fits = distance <= min(seeker.radius_km, spot.reach_km)
    return None if fits else Unfit(elsewhere=True)


def feed_for(*, helper: Helper, limit: int = 20) -> list[FeedCard]:
    seeker = seeker_for(helper)
    return feed_near(seeker, limit=limit) if seeker is not None else []
