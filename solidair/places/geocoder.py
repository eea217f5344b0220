"""Street-level geocoding through a Nominatim-compatible search URL.

Off unless GEOCODER_URL is set; the tests never call it. Callers fall back to the
postcode centroid when it is off or does not answer.
"""

import json
import logging
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StreetLocation:
    latitude: float
    longitude: float


def is_enabled() -> bool:
    return bool(settings.GEOCODER_URL)


def search_url(*, street: str, house_number: str, postcode: str, city: str, country: str) -> str:
    query = {
        "street": f"{house_number} {street}".strip(),
        "postalcode": postcode,
        "city": city,
        "countrycodes": country.lower(),
        "format": "jsonv2",
        "limit": "1",
    }
    return f"{settings.GEOCODER_URL}?{urllib.parse.urlencode(query)}"


def geocode(
    *, street: str, house_number: str, postcode: str, city: str, country: str
) -> StreetLocation | None:
    if not is_enabled() or not street:
        return None
    url = search_url(
        street=street, house_number=house_number, postcode=postcode, city=city, country=country
    )
    if not url.startswith(("https://", "http://")):
        log.warning("GEOCODER_URL must be an http(s) URL")
        return None
    headers = {"User-Agent": settings.GEOCODER_USER_AGENT}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (checked above)
    try:
        with urllib.request.urlopen(  # noqa: S310 (the scheme is checked above)
            request, timeout=settings.GEOCODER_TIMEOUT_SECONDS
        ) as response:
            results = json.load(response)
    except (OSError, ValueError) as error:
        log.warning("geocoder did not answer: %s", error)
        return None
    if not results:
        return None
    return StreetLocation(float(results[0]["lat"]), float(results[0]["lon"]))
