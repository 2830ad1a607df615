"""Figures for people: grouped by thousands in the active language's style."""

from django.utils import formats


def figure(value, decimal_places=None):
    """253.000.000 in Vietnamese, 253,000,000 in English."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # chart axes pass counts as floats
    return formats.number_format(value, decimal_places, force_grouping=True)
