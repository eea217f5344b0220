"""Postcode centroids for Belgium and Switzerland, offline, from the data that the
countrystatecity-postal-codes package ships (GeoNames postal codes)."""

import math
from dataclasses import dataclass
from functools import cache

from countrystatecity_postal_codes import get_postcodes_of_country

COUNTRIES = ("BE", "CH")


@dataclass(frozen=True)
class Place:
    country: str
    postcode: str
    locality: str
    latitude: float
    longitude: float


@cache
def _table(country: str) -> dict[str, list[Place]]:
    places: dict[str, list[Place]] = {}
    for entry in get_postcodes_of_country(country):
        if entry.latitude is None or entry.longitude is None:
            continue
        places.setdefault(entry.code, []).append(
            Place(country, entry.code, entry.localityName or "", entry.latitude, entry.longitude)
        )
    return places


def clean(postcode: str) -> str:
    return "".join(postcode.split()).upper().removeprefix("B-").removeprefix("CH-")


def localities(country: str, postcode: str) -> list[Place]:
    """Every locality that shares this postcode (Belgian postcodes often cover several)."""
    return list(_table(country).get(clean(postcode), []))


def locate(country: str, postcode: str) -> Place | None:
    """The centroid of a postcode: the mean of its localities."""
    found = localities(country, postcode)
    if not found:
        return None
    return Place(
        country,
        found[0].postcode,
        found[0].locality,
        sum(p.latitude for p in found) / len(found),
        sum(p.longitude for p in found) / len(found),
    )


def nearest_codes(country: str, postcode: str, limit: int = 3) -> list[Place]:
    """Known postcodes closest in number to a mistyped one: "1001" suggests 1000, 1020."""
    wanted = clean(postcode)
    table = _table(country)
    if not wanted.isdigit():
        return [table[code][0] for code in sorted(table)[:limit]]
    ranked = sorted(
        (code for code in table if code.isdigit()), key=lambda c: (abs(int(c) - int(wanted)), c)
    )
    return [table[code][0] for code in ranked[:limit]]


def all_places(country: str) -> list[Place]:
    return [places[0] for _code, places in sorted(_table(country).items())]


EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
