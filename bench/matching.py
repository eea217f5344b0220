"""Benchmark of matching: ranking a mission's candidates and a helper's feed, on SQLite
and PostgreSQL, with helpers spread uniformly over Belgium or clustered around its ten
largest cities, beside the naive way (every helper loaded, haversine in Python).

    python bench/matching.py                       # 1,000,000 helpers, 100,000 missions
    python bench/matching.py --helpers 2000 --missions 500 --json

It writes to its own databases only: a SQLite file in a temporary folder, and on the
PostgreSQL server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/) the
database that DATABASE_URL names if its name contains "bench" (so that each person can
have their own), `solidair_bench` otherwise; dropped and made again. Rows are
bulk-loaded with executemany (SQLite) or COPY (PostgreSQL); the timings go through the
same code as the app (solidair.matching.selectors.rank_target and feed_near), with
DEBUG off and, on PostgreSQL, prepared statements (`prepare_threshold`, as
docs/matching.md advises for production).
"""

import argparse
import gc
import json
import math
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/"
BENCH_DATABASE = "solidair_bench"
PREPARE_THRESHOLD = "5"
SOUTH, NORTH, WEST, EAST = 49.50, 51.50, 2.55, 6.40  # Belgium's bounding box
# The ten largest cities: latitude, longitude, inhabitants.
CITIES = [
    (50.8467, 4.3525, 1_220_000),  # Brussels
    (51.2194, 4.4025, 530_000),  # Antwerp
    (51.0543, 3.7174, 265_000),  # Ghent
    (50.4108, 4.4446, 203_000),  # Charleroi
    (50.6326, 5.5797, 197_000),  # Liège
    (51.2093, 3.2247, 119_000),  # Bruges
    (50.4674, 4.8720, 112_000),  # Namur
    (50.8798, 4.7005, 102_000),  # Leuven
    (50.4542, 3.9523, 96_000),  # Mons
    (50.9360, 4.0355, 89_000),  # Aalst
]
RADII = [1, 2, 3, 5, 5, 8, 10, 15, 20]
SAMPLES = 200
WARM_UP = 20


# The parent: one child process per database, so each sets Django up its own way.


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--helpers", type=int, default=1_000_000)
    parser.add_argument("--missions", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument(
        "--prepare-threshold",
        default=PREPARE_THRESHOLD,
        help='PostgreSQL: executions before a query is prepared; "none" never prepares',
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    results: dict = {}
    load_before = os.getloadavg()
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory() as folder:
            # As in production: DEBUG off (no query log), which wants a real secret key,
            # a public address and a provider said out loud (nothing is sent here).
            env = dict(os.environ, SOLIDAIR_DATA_DIR=folder, DEBUG="0")
            env["SECRET_KEY"] = secrets.token_urlsafe(50)
            env["SITE_URL"] = "https://bench.invalid"
            env["NOTIFICATIONS_PROVIDER"] = "console"
            env["DATABASE_URL"] = (
                f"sqlite:///{folder}/bench.sqlite3"
                if database == "sqlite"
                else _bench_url(
                    os.environ.get("DATABASE_URL", DEFAULT_POSTGRES), args.prepare_threshold
                )
            )
            command = [sys.executable, __file__, "--child", database]
            command += ["--helpers", str(args.helpers), "--missions", str(args.missions)]
            command += ["--samples", str(args.samples)]
            done = subprocess.run(  # noqa: S603 (our own script)
                command, env=env, cwd=ROOT, capture_output=True, text=True, check=False
            )
            if done.returncode:
                sys.stderr.write(done.stderr)
                raise SystemExit(f"the {database} benchmark failed")
            if not args.json:
                sys.stderr.write(done.stderr)
            results[database] = json.loads(done.stdout)
    load = f"load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after"
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(_table(results, args.helpers, args.missions, load))


def _bench_url(url: str, prepare_threshold: str) -> str:
    """The bench's own database on the server of `url`, with prepared statements."""
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_POSTGRES
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    query = [pair for pair in parts.query.split("&") if pair]
    if prepare_threshold != "none" and not any(
        pair.startswith("prepare_threshold=") for pair in query
    ):
        query.append(f"prepare_threshold={int(prepare_threshold)}")
    return urlunparse(
        parts._replace(
            path=f"/{name if 'bench' in name else BENCH_DATABASE}", query="&".join(query)
        )
    )


def _table(results: dict, helpers: int, missions: int, load: str) -> str:
    lines = [
        f"{helpers:,} helpers, {missions:,} open missions; times in ms (median / 99th percentile)"
        f"; {load}",
        "",
        "| database | helpers | rank top 20 | feed of 20 | naive | speed-up |",
        "|---|---|---|---|---|---|",
    ]
    for database, sets in results.items():
        for name, r in sets.items():
            lines.append(
                f"| {database} | {name} | {r['rank_median_ms']:.2f} / {r['rank_p99_ms']:.2f} "
                f"| {r['feed_median_ms']:.2f} / {r['feed_p99_ms']:.2f} "
                f"| {r['naive_median_ms']:.0f} | {r['speedup']:.0f}× |"
            )
    return "\n".join(lines)


# The child: loads a database and times it.


def log(text: str) -> None:
    sys.stderr.write(f"{time.strftime('%H:%M:%S')} {text}\n")
    sys.stderr.flush()


def child(args: argparse.Namespace) -> None:
    database = args.child
    if database == "postgresql":
        _postgres_recreate(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidair.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if database == "postgresql":
        log(f"postgresql: database {urlparse(os.environ['DATABASE_URL']).path.lstrip('/')}")
    results = {}
    for name in ("uniform", "clustered"):
        rng = random.Random(f"{name}-{args.helpers}-{args.missions}")  # the same each run
        log(f"{database}: loading {name}")
        load(rng, name, args.helpers, args.missions)
        log(f"{database}: timing {name}")
        results[name] = measure(rng, args.samples)
        log(f"{database}: {name}: {results[name]}")
    print(json.dumps(results))


def _postgres_recreate(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlparse(url)
    name = sql.Identifier(parts.path.lstrip("/"))
    admin = urlunparse(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def _place(rng: random.Random, clustered: bool) -> tuple[float, float]:
    if clustered and rng.random() < 0.6:
        latitude, longitude, people = rng.choices(CITIES, weights=[c[2] for c in CITIES])[0]
        spread_km = 1.5 * math.sqrt(people / 100_000)  # Brussels ≈ 5 km, Aalst ≈ 1.4 km
        return (
            latitude + rng.gauss(0, spread_km) / 110.574,
            longitude + rng.gauss(0, spread_km) / (111.32 * math.cos(math.radians(latitude))),
        )
    return rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST)


def _mask(rng: random.Random, odds: list[float]) -> int:
    mask = sum(1 << i for i, p in enumerate(odds) if rng.random() < p)
    return mask or 1 << rng.randrange(len(odds))


def load(rng: random.Random, name: str, helpers: int, missions: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from solidair.matching import geo, slots
    from solidair.matching.models import HelperSpot, MissionSpot
    from solidair.missions.models import Theme
    from solidair.people.models import Organisation

    organisation, _created = Organisation.objects.get_or_create(
        slug="be", defaults={"name": "Solidair Belgium", "languages": ["fr", "nl"], "country": "BE"}
    )
    themes = list(Theme.objects.order_by("pk"))
    now = timezone.now()
    today = timezone.localdate()
    week = slots.iso_week(today)
    clustered = name == "clustered"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {HelperSpot._meta.db_table}")  # noqa: S608
        cursor.execute(f"DELETE FROM {MissionSpot._meta.db_table}")  # noqa: S608

    def helper_rows():
        for pk in range(1, helpers + 1):
            latitude, longitude = _place(rng, clustered)
            cell_x, cell_y = geo.cell_of(latitude, longitude)
            theme_ids = [t.pk for t in themes if rng.random() < 0.5] or [rng.choice(themes).pk]
            idle = rng.random() < 0.3
            yield (
                pk,
                organisation.pk,
                cell_x,
                cell_y,
                latitude,
                longitude,
                rng.choice(RADII),
                _mask(rng, [0.6, 0.6, 0.5, 0.1]),
                slots.theme_mask(theme_ids),
                slots.theme_list(theme_ids),
                rng.random() < 0.9,
                rng.random() < 0.03,
                rng.random() < 0.2,
                sum(1 << bit for bit in range(21) if rng.random() < 0.3),
                rng.choice([1, 2, 3, 5]),
                week,
                rng.randint(0, 3),
                round(rng.uniform(0.6, 1.0), 3),
                None if idle else now - timedelta(days=rng.randint(0, 13)),
                now - timedelta(days=60),
                None,
                0,
                None,
            )

    def mission_rows():
        for pk in range(1, missions + 1):
            latitude, longitude = _place(rng, clustered)
            cell_x, cell_y = geo.cell_of(latitude, longitude)
            theme = rng.choices(themes, weights=[3, 2, 1, 1][: len(themes)] or None)[0]
            asap = rng.random() < 0.3
            day = today + timedelta(days=rng.randint(0, 13))
            start = datetime(day.year, day.month, day.day, rng.choice([9, 14, 18]), tzinfo=UTC)
            yield (
                pk,
                organisation.pk,
                cell_x,
                cell_y,
                latitude,
                longitude,
                theme.pk,
                slots.language_mask(rng.choices(["fr", "nl", "en", "de"], [55, 35, 5, 5])[0]),
                theme.needs_proximity,
                theme.reach_km,
                asap,
                None if asap else start,
                None if asap else start + timedelta(hours=2),
                today.toordinal() if asap else day.toordinal(),
                0
                if asap
                else slots.window_mask(day, start.time(), (start + timedelta(hours=2)).time()),
                rng.random() < 0.1,
                rng.random() < 0.1,
                "1000",
                "Bruxelles",
                "A few groceries for the week.",
                now,
            )

    helper_columns = [
        "helper_id", "organisation_id", "cell_x", "cell_y", "latitude", "longitude",
        "radius_km", "language_mask", "theme_mask", "theme_ids", "verified", "paused",
        "available_now", "week_mask", "max_per_week", "load_week", "load_count",
        "reliability", "last_assigned_at", "joined_at", "alerts_day", "alerts_today",
        "last_alerted_at",
    ]  # fmt: skip
    mission_columns = [
        "mission_id", "organisation_id", "cell_x", "cell_y", "latitude", "longitude",
        "theme_id", "language_mask", "needs_proximity", "reach_km", "asap", "starts_at",
        "ends_at", "when_day", "week_mask", "urgent", "recurring", "postcode", "locality",
        "summary", "published_at",
    ]  # fmt: skip
    started = time.monotonic()
    _bulk(HelperSpot, helper_columns, helper_rows())
    _bulk(MissionSpot, mission_columns, mission_rows())
    log(f"loaded in {time.monotonic() - started:.0f} s")


def _bulk(model, columns: list[str], rows) -> None:
    """Load rows with the search indexes dropped, and without foreign keys (the bench has
    no users, helpers or helpees behind its rows), then rebuild the indexes."""
    from django.db import connection, transaction

    # Only the statements: entering a schema editor would check the foreign keys.
    editor = connection.SchemaEditorClass(connection, collect_sql=True)
    editor.deferred_sql = []
    drop = [str(index.remove_sql(model, editor)) for index in model._meta.indexes]
    create = [str(index.create_sql(model, editor)) for index in model._meta.indexes]
    with connection.cursor() as cursor:
        for sql in drop:
            cursor.execute(sql)
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
        marks = ", ".join(["%s"] * len(columns))
        insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        batch: list = []
        with transaction.atomic(), connection.cursor() as cursor:
            for row in rows:
                batch.append(row)
                if len(batch) == 20_000:
                    cursor.executemany(insert, batch)
                    batch = []
            if batch:
                cursor.executemany(insert, batch)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = ON")
    with connection.cursor() as cursor:
        for sql in create:
            cursor.execute(sql)
        cursor.execute(
            f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else "ANALYZE"
        )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def measure(rng: random.Random, samples: int) -> dict:
    from solidair.matching import geo, selectors, slots
    from solidair.matching.models import HelperSpot, MissionSpot
    from solidair.matching.selectors import (
        feed_near,
        rank_target,
        seeker_from_spot,
        target_from_spot,
    )

    # In id order, so that both databases time the same missions and helpers.
    mission_ids = list(
        MissionSpot.objects.filter(needs_proximity=True)
        .order_by("mission_id")
        .values_list("mission_id", flat=True)
    )
    warm = min(WARM_UP, samples)
    targets = [
        target_from_spot(spot)
        for spot in MissionSpot.objects.filter(
            mission_id__in=rng.sample(mission_ids, samples + warm)
        ).order_by("mission_id")
    ]
    helper_ids = list(
        HelperSpot.objects.filter(verified=True, paused=False)
        .order_by("helper_id")
        .values_list("helper_id", flat=True)
    )
    seekers = [
        seeker_from_spot(spot)
        for spot in HelperSpot.objects.filter(
            helper_id__in=rng.sample(helper_ids, samples + warm)
        ).order_by("helper_id")
    ]
    rng.shuffle(targets)
    rng.shuffle(seekers)
    warm_targets, targets = targets[:warm], targets[warm:]
    warm_seekers, seekers = seekers[:warm], seekers[warm:]

    def timed(call) -> float:
        started = time.perf_counter()
        call()
        return (time.perf_counter() - started) * 1000

    # As a preloading app server would: what was loaded at start-up is left out of the
    # collector's full passes, which otherwise pause a request for several ms.
    gc.collect()
    gc.freeze()
    # A new data set, as if a new server started: it counts its maps of densities
    # (selectors._first_ring) on its first searches, then warms up on other missions
    # and helpers than those timed.
    selectors._densities.clear()
    for target in warm_targets:
        rank_target(target, limit=20)
    for seeker in warm_seekers:
        feed_near(seeker, limit=20)
    rank_times = [timed(lambda t=t: rank_target(t, limit=20)) for t in targets]
    feed_times = [timed(lambda s=s: feed_near(s, limit=20)) for s in seekers]
    found = [len(rank_target(t, limit=20)) for t in targets]
    cards = [len(feed_near(s, limit=20)) for s in seekers]

    def naive(target) -> list:
        """Every helper loaded; every filter and the distance in Python."""
        theme = slots.theme_bit(target.theme_id)
        rows = HelperSpot.objects.values_list(
            "helper_id", "latitude", "longitude", "radius_km", "verified", "paused",
            "language_mask", "theme_mask", "week_mask",
        )  # fmt: skip
        fits = []
        for pk, lat, lng, radius, verified, paused, languages, themes, week in rows.iterator(
            chunk_size=20_000
        ):
            if not verified or paused or not languages & target.language_mask:
                continue
            if not themes & theme or not (target.asap or week & target.week_mask):
                continue
            distance = geo.haversine_km(target.latitude, target.longitude, lat, lng)
            if distance <= min(radius, target.reach_km):
                fits.append((distance, pk))
        return sorted(fits)[:20]

    naive_times = [timed(lambda t=t: naive(t)) for t in targets[:3]]
    rank_median = statistics.median(rank_times)
    return {
        "rank_median_ms": round(rank_median, 3),
        "rank_p99_ms": round(_percentile(rank_times, 0.99), 3),
        "feed_median_ms": round(statistics.median(feed_times), 3),
        "feed_p99_ms": round(_percentile(feed_times, 0.99), 3),
        "naive_median_ms": round(statistics.median(naive_times), 1),
        "speedup": round(statistics.median(naive_times) / rank_median, 1),
        "candidates_median": statistics.median(found),
        "feed_cards_median": statistics.median(cards),
    }


if __name__ == "__main__":
    main()
