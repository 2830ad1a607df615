"""What the date boundary tables share: a fixed today, the days around it, and dates as the rows write them."""

import datetime

import pytest

from kolregistry.dates import PartialDate
from tests.helpers import results

TODAY = datetime.date(2026, 6, 15)

# A period known to the month or to the year is in force from its start's first day to its end's last.
MONTH_PERIOD = ("2023-05", "2024-02")  # May 2023 to February 2024, a leap February
YEAR_PERIOD = ("2022", "2024")
# (period, day, in force) rows at the first and last days of each end, and the days just outside them.
PARTIAL_PERIODS = [
    pytest.param(MONTH_PERIOD, "2023-04-30", False, id="start-month/day-before"),
    pytest.param(MONTH_PERIOD, "2023-05-01", True, id="start-month/first-day"),
    pytest.param(MONTH_PERIOD, "2023-05-31", True, id="start-month/last-day"),
    pytest.param(MONTH_PERIOD, "2023-06-01", True, id="start-month/day-after"),
    pytest.param(MONTH_PERIOD, "2024-01-31", True, id="end-month/day-before"),
    pytest.param(MONTH_PERIOD, "2024-02-01", True, id="end-month/first-day"),
    pytest.param(MONTH_PERIOD, "2024-02-29", True, id="end-month/last-day"),
    pytest.param(MONTH_PERIOD, "2024-03-01", False, id="end-month/day-after"),
    pytest.param(YEAR_PERIOD, "2021-12-31", False, id="start-year/day-before"),
    pytest.param(YEAR_PERIOD, "2022-01-01", True, id="start-year/first-day"),
    pytest.param(YEAR_PERIOD, "2022-12-31", True, id="start-year/last-day"),
    pytest.param(YEAR_PERIOD, "2023-01-01", True, id="start-year/day-after"),
    pytest.param(YEAR_PERIOD, "2023-12-31", True, id="end-year/day-before"),
    pytest.param(YEAR_PERIOD, "2024-01-01", True, id="end-year/first-day"),
    pytest.param(YEAR_PERIOD, "2024-12-31", True, id="end-year/last-day"),
    pytest.param(YEAR_PERIOD, "2025-01-01", False, id="end-year/day-after"),
]


def days(n):
    """The day ``n`` days after TODAY."""
    return TODAY + datetime.timedelta(days=n)


def as_date(value):
    """A row's date: ``"2024-05"`` / ``"2024"`` as a partial date, a ``date`` as it is, None for none."""
    return PartialDate.parse(value) if isinstance(value, str) else value


def ids(response):
    return {row["id"] for row in results(response)}


# An inclusive after/before filter on a partial date, compared with its first possible day.
AFTER_BEFORE = [
    pytest.param("after", "2025-04-10", "2025-04-09", True, id="day/after-day-before"),
    pytest.param("after", "2025-04-10", "2025-04-10", True, id="day/after-day-itself"),
    pytest.param("after", "2025-04-10", "2025-04-11", False, id="day/after-day-after"),
    pytest.param("before", "2025-04-10", "2025-04-09", False, id="day/before-day-before"),
    pytest.param("before", "2025-04-10", "2025-04-10", True, id="day/before-day-itself"),
    pytest.param("before", "2025-04-10", "2025-04-11", True, id="day/before-day-after"),
    pytest.param("after", "2025-04", "2025-04-01", True, id="month/after-first-day"),
    pytest.param("after", "2025-04", "2025-04-02", False, id="month/after-second-day"),
    pytest.param("before", "2025-04", "2025-03-31", False, id="month/before-day-before"),
    pytest.param("before", "2025-04", "2025-04-01", True, id="month/before-first-day"),
    pytest.param("after", "2025", "2025-01-01", True, id="year/after-first-day"),
    pytest.param("after", "2025", "2025-01-02", False, id="year/after-second-day"),
    pytest.param("before", "2025", "2024-12-31", False, id="year/before-day-before"),
    pytest.param("before", "2025", "2025-01-01", True, id="year/before-first-day"),
]
