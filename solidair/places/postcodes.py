"""Postcode centroids for Belgium and Switzerland, offline (see places.data), and distances."""

import math
from dataclasses import dataclass

from django.db.models import Avg

from solidair.places.models import Postcode


@dataclass(frozen=True)
class Place:
    country: str
    postcode: str
    locality: str
    latitude: float
    longitude: float


def clean(postcode: str) -> str:
    return "".join(postcode.split()).upper().removeprefix("B-").removeprefix("CH-")


def localities(country: str, postcode: str) -> list[Place]:
    """Every locality that shares this postcode (Belgian postcodes often cover several)."""
    rows = Postcode.objects.filter(country=country, code=clean(postcode)).order_by("pk")
    return [Place(country, r.code, r.locality, r.latitude, r.longitude) for r in rows]


def locate(country: str, postcode: str) -> Place | None:
    """The centre of a postcode: the mean of its localities, named after the first."""
    code = clean(postcode)
    rows = Postcode.objects.filter(country=country, code=code)
    first = rows.order_by("pk").first()
    if first is None:
        return None
    centre = rows.aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
    return Place(country, code, first.locality, centre["latitude"], centre["longitude"])


def nearest_codes(country: str, postcode: str, limit: int = 3) -> list[Place]:
    """Known postcodes closest in number to a mistyped one: "1001" suggests 1000, 1020."""
    wanted = clean(postcode)
    codes = set(Postcode.objects.filter(country=country).values_list("code", flat=True))
    if wanted.isdigit():
        ranked = sorted(
            (c for c in codes if c.isdigit()), key=lambda c: (abs(int(c) - int(wanted)), c)
        )
    else:
        ranked = sorted(codes)
    return [place for code in ranked[:limit] if (place := locate(country, code))]


def known_codes(country: str) -> list[str]:
    return sorted(set(Postcode.objects.filter(country=country).values_list("code", flat=True)))


EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
