"""What the date boundary tables share: a fixed today, the days around it, and dates as the rows write them."""

import datetime

from kolregistry.dates import PartialDate
from tests.helpers import results

TODAY = datetime.date(2026, 6, 15)


def days(n):
    """The day ``n`` days after TODAY."""
    return TODAY + datetime.timedelta(days=n)


def as_date(value):
    """A row's date: ``"2024-05"`` / ``"2024"`` as a partial date, a ``date`` as it is, None for none."""
    return PartialDate.parse(value) if isinstance(value, str) else value


def ids(response):
    return {row["id"] for row in results(response)}
