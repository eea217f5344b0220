"""The grid that makes spatial search an indexed query on any database.

Cells are CELL_KM wide in a fixed equirectangular projection: a cell's x is the
longitude scaled at REFERENCE_LATITUDE, its y the latitude. A search turns a circle
into the cells of its bounding box (scaled at the circle's own latitude, so the box is
exact wherever Solidair runs); exact distances are then computed on the short list."""

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
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    # Widest at the edge nearest the pole.
    widest = min(89.0, abs(latitude) + dlat)
    dlng = radius_km / km_per_degree_longitude(widest)
    return Box(latitude - dlat, latitude + dlat, longitude - dlng, longitude + dlng)


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
