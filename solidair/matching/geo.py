"""The grid that makes spatial search an indexed query on any database.

Cells are CELL_KM wide in a fixed equirectangular projection: a cell's x is the
longitude scaled at REFERENCE_LATITUDE, its y the latitude. A search turns a circle
into the cells of its bounding box (scaled at the circle's own latitude, so the box is
exact wherever Solidair runs); exact distances are then computed on the short list.

Inside the database, distances are compared in a local flat projection around the
search's centre (`flat_factors`): arithmetic only, so SQLite and PostgreSQL compute it
without extensions. Within MAX_SEARCH_KM of the centre and below 70° of latitude it
is within FLAT_ERROR of the great-circle (haversine) distance, which decides."""

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.320
REFERENCE_LATITUDE = 50.5  # Belgium; any latitude would do, only cell shapes change
CELL_KM = 0.25
CELLS_PER_DEGREE_X = (
    KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(REFERENCE_LATITUDE)) / CELL_KM
)
CELLS_PER_DEGREE_Y = KM_PER_DEGREE_LATITUDE / CELL_KM
# On the sphere of haversine_km: the same kilometre in every direction.
KM_PER_DEGREE = math.radians(EARTH_RADIUS_KM)
MAX_SEARCH_KM = 25.0
# The flat projection differs from haversine_km by |tan(latitude)| × half the latitude
# difference (in radians), 0.2% at 20 km in Belgium; 1% leaves room to spare.
FLAT_ERROR = 0.01


def cell_of(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(longitude * CELLS_PER_DEGREE_X), math.floor(latitude * CELLS_PER_DEGREE_Y)


def km_per_degree_longitude(latitude: float) -> float:
    return KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(latitude))


@dataclass(frozen=True)
class Box:
    """A circle's bounding box, in degrees and in cells."""

    south: float
    north: float
    west: float
    east: float

    @property
    def cell_xs(self) -> list[int]:
        first = math.floor(self.west * CELLS_PER_DEGREE_X)
        return list(range(first, math.floor(self.east * CELLS_PER_DEGREE_X) + 1))

    @property
    def cell_y_range(self) -> tuple[int, int]:
        return (
            math.floor(self.south * CELLS_PER_DEGREE_Y),
            math.floor(self.north * CELLS_PER_DEGREE_Y),
        )


def box_around(latitude: float, longitude: float, radius_km: float) -> Box:
    """A box holding every point within `radius_km` (haversine) of the centre."""
    radius_km *= 1 + FLAT_ERROR
    dlat = radius_km / KM_PER_DEGREE
    # Widest at the edge nearest the pole.
    widest = min(89.0, abs(latitude) + dlat)
    dlng = radius_km / (KM_PER_DEGREE * math.cos(math.radians(widest)))
    return Box(latitude - dlat, latitude + dlat, longitude - dlng, longitude + dlng)


def cell_ranges(latitude: float, longitude: float, radius_km: float) -> list[tuple[int, int, int]]:
    """The cells that may hold a point within `radius_km` (haversine) of the centre: for
    each column of cells (x), its first and last row (y). A circle's columns, not its
    bounding box: the index reads about a fifth fewer entries."""
    radius = radius_km * (1 + FLAT_ERROR)
    dlat = radius / KM_PER_DEGREE
    # The fewest kilometres per degree of longitude, at the edge nearest the pole.
    km_per_lng = KM_PER_DEGREE * math.cos(math.radians(min(89.0, abs(latitude) + dlat)))
    dlng = radius / km_per_lng
    ranges = []
    first = math.floor((longitude - dlng) * CELLS_PER_DEGREE_X)
    for x in range(first, math.floor((longitude + dlng) * CELLS_PER_DEGREE_X) + 1):
        west, east = x / CELLS_PER_DEGREE_X, (x + 1) / CELLS_PER_DEGREE_X
        gap = (
            0.0 if west <= longitude <= east else min(abs(west - longitude), abs(east - longitude))
        )
        across = gap * km_per_lng
        half = math.sqrt(max(0.0, radius * radius - across * across)) / KM_PER_DEGREE
        ranges.append(
            (
                x,
                math.floor((latitude - half) * CELLS_PER_DEGREE_Y),
                math.floor((latitude + half) * CELLS_PER_DEGREE_Y),
            )
        )
    return ranges


def flat_factors(latitude: float) -> tuple[float, float]:
    """Squared kilometres per squared degree of longitude and of latitude around
    `latitude`: the flat distance² is kx2 × Δlongitude² + ky2 × Δlatitude²."""
    kx = KM_PER_DEGREE * math.cos(math.radians(latitude))
    return kx * kx, KM_PER_DEGREE * KM_PER_DEGREE


def flat_km(latitude: float, longitude: float, other_lat: float, other_lng: float) -> float:
    kx2, ky2 = flat_factors(latitude)
    dx, dy = other_lng - longitude, other_lat - latitude
    return math.sqrt(kx2 * dx * dx + ky2 * dy * dy)


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
