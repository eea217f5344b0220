"""Weekly availability as 21 bits (7 days × morning, afternoon, evening), languages
and themes as bits: so that every filter of a search is one SQL expression."""

from datetime import date, datetime, time

from solidair.languages import CODES

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS_OF_DAY = ("morning", "afternoon", "evening")
# Where each part of the day starts and ends (hours, local time).
PART_HOURS = {"morning": (6, 12), "afternoon": (12, 17), "evening": (17, 22)}
ALL_WEEK = (1 << 21) - 1
THEME_BITS = 62  # a signed 64-bit integer, with room to spare


def slot_bit(weekday: int, part: str) -> int:
    return 1 << (weekday * 3 + PARTS_OF_DAY.index(part))


def week_mask(availability: dict) -> int:
    """{"mon": ["morning", "evening"], …} as bits; unknown names are ignored."""
    mask = 0
    for day, parts in (availability or {}).items():
        if day in WEEKDAYS and isinstance(parts, list | tuple):
            for part in parts:
                if part in PARTS_OF_DAY:
                    mask |= slot_bit(WEEKDAYS.index(day), part)
    return mask


def window_mask(day: date, time_from: time | None, time_to: time | None) -> int:
    """The parts of `day` that the window from `time_from` to `time_to` touches."""
    start = time_from.hour + time_from.minute / 60 if time_from else 0
    end = time_to.hour + time_to.minute / 60 if time_to else 24
    mask = 0
    for part, (first, last) in PART_HOURS.items():
        if start < last and end > first:
            mask |= slot_bit(day.weekday(), part)
    return mask or sum(slot_bit(day.weekday(), part) for part in PARTS_OF_DAY)


def current_slot(moment: datetime) -> int:
    """The bit of the part of the day `moment` (local time) falls in; 0 at night."""
    hour = moment.hour + moment.minute / 60
    for part, (first, last) in PART_HOURS.items():
        if first <= hour < last:
            return slot_bit(moment.weekday(), part)
    return 0


def language_mask(codes: list[str] | str) -> int:
    codes = [codes] if isinstance(codes, str) else codes
    return sum(1 << CODES.index(code) for code in set(codes) if code in CODES)


def theme_bit(theme_id: int) -> int:
    # Themes are few; past 62 two themes share a bit, and the exact list decides.
    return 1 << ((theme_id - 1) % THEME_BITS)


def theme_mask(theme_ids: list[int]) -> int:
    mask = 0
    for theme_id in theme_ids:
        mask |= theme_bit(theme_id)
    return mask


def theme_list(theme_ids: list[int]) -> str:
    return "," + ",".join(str(i) for i in sorted(theme_ids)) + "," if theme_ids else ""


def iso_week(day: date) -> int:
    year, week, _weekday = day.isocalendar()
    return year * 100 + week
