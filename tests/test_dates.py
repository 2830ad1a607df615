"""Partial dates: parsing, bounds, ISO and local renderings, equality with plain dates."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from kolregistry.dates import DatePrecision, PartialDate, PartialDateFormField
from partners.models import Channel, ChannelMetric, Mou

D = datetime.date
DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


# Parsing (API form: ISO 8601 reduced precision)


# ISO 8601 at each precision, as the API and a model read it.
ISO_PARTIAL_DATES = [
    ("2024", D(2024, 1, 1), YEAR),
    ("2024-05", D(2024, 5, 1), MONTH),
    ("2024-05-17", D(2024, 5, 17), DAY),
    ("2024-12", D(2024, 12, 1), MONTH),
    ("2024-02-29", D(2024, 2, 29), DAY),
    (" 2024-05 ", D(2024, 5, 1), MONTH),
]


@pytest.mark.parametrize(("text", "lower", "precision"), ISO_PARTIAL_DATES)
def test_parse_iso_forms(text, lower, precision):
    value = PartialDate.parse(text)

    assert (value.lower, value.precision) == (lower, precision)


@pytest.mark.parametrize(
    "text",
    [
        "2024-13",
        "2024-02-30",
        "2023-02-29",
        "24",
        "2024/05",
        "2024-5",
        "2024-05-7",
        "20240517",
        "2024-05-17T00:00",
        "05/2024",
        "17/05/2024",
        "",
        "May 2024",
    ],
)
def test_parse_refuses_other_forms(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


@pytest.mark.parametrize("text", ["2024-00", "2024-05-00", "2024-00-10", "2024-00-00"])
def test_parse_refuses_a_zero_month_or_day(text):
    """There is no month 0 nor day 0: "2024-05-00" is not May 2024, nor "2024-00-10" 10 January."""
    with pytest.raises(ValueError):
        PartialDate.parse(text)


# Parsing (admin form: ISO and the local numeric forms)


@pytest.mark.parametrize(
    ("text", "lower", "precision"),
    [
        ("2024", D(2024, 1, 1), YEAR),
        ("05/2024", D(2024, 5, 1), MONTH),
        ("5/2024", D(2024, 5, 1), MONTH),
        ("17/05/2024", D(2024, 5, 17), DAY),
        ("7/5/2024", D(2024, 5, 7), DAY),
        ("2024-05", D(2024, 5, 1), MONTH),
        ("2024-05-17", D(2024, 5, 17), DAY),
    ],
)
def test_admin_field_accepts_local_and_iso_forms(text, lower, precision):
    value = PartialDateFormField().clean(text)

    assert (value.lower, value.precision) == (lower, precision)


@pytest.mark.parametrize(
    "text", ["13/2024", "30/02/2024", "31/04/2024", "2024/05", "24", "05-2024", "17.05.2024", "00/05/2024", "0/2024"]
)
def test_admin_field_refuses_other_forms(text):
    with translation.override("en"), pytest.raises(forms.ValidationError) as excinfo:
        PartialDateFormField().clean(text)
    assert excinfo.value.messages == ["Enter a date as 2024, 05/2024 or 17/05/2024."]


def test_admin_field_empty_is_none_and_shows_numeric_form():
    field = PartialDateFormField(required=False)

    assert field.clean("") is None
    assert field.prepare_value(PartialDate.parse("2024-05")) == "05/2024"
    assert field.prepare_value(PartialDate.parse("2024-05-07")) == "07/05/2024"
    assert field.prepare_value(PartialDate.parse("2024")) == "2024"


# On a model: an ISO string assigned to a partial date field reads back as the partial date it names


@pytest.mark.parametrize(("text", "lower", "precision"), ISO_PARTIAL_DATES)
def test_model_reads_an_iso_string_as_a_partial_date(text, lower, precision):
    expected = PartialDate(lower, precision)

    assert Mou(starts_on=text).starts_on == expected
    assert Mou._meta.get_field("starts_on").to_python(text) == expected  # as deserialization reads it


# Stated dates: as precise as known, "≈" when approximate, with the source's wording (model names, dashboard)

P = PartialDate.parse


@pytest.mark.parametrize(
    ("measured_on", "approximate", "as_stated", "shown"),
    [
        (None, False, "", "date unknown"),
        (None, False, "mid-2024", "“mid-2024”"),
        (P("2024-05"), False, "", "May 2024"),
        (P("2024-05"), True, "around May 2024", "≈ May 2024 (“around May 2024”)"),
        (P("2024-05-17"), False, "17 May", "17 May 2024 (“17 May”)"),
    ],
)
def test_measurement_names_its_date_as_stated(measured_on, approximate, as_stated, shown):
    metric = ChannelMetric(
        channel=Channel(handle="quachbeem"),
        measured_on=measured_on,
        measured_on_approximate=approximate,
        measured_on_as_stated=as_stated,
    )
    with translation.override("en"):
        assert str(metric) == f"{metric.channel} @ {shown}"


def test_mou_signing_date_as_stated_has_no_approximate_mark():
    # An MOU's signing date has no "approximate" flag: it shows as known.
    mou = Mou(signed_on=P("2024-05-17"))
    with translation.override("en"):
        assert Template('{% load dashboard %}{{ mou|stated:"signed_on" }}').render(Context({"mou": mou})) == (
            "17 May 2024"
        )


# Bounds


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [
        ("2024-05-17", D(2024, 5, 17), D(2024, 5, 17)),
        ("2024-05", D(2024, 5, 1), D(2024, 5, 31)),
        ("2024-04", D(2024, 4, 1), D(2024, 4, 30)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("2000-02", D(2000, 2, 1), D(2000, 2, 29)),
        ("1900-02", D(1900, 2, 1), D(1900, 2, 28)),
        ("2024-12", D(2024, 12, 1), D(2024, 12, 31)),
        ("2024-01", D(2024, 1, 1), D(2024, 1, 31)),
        ("2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("2023", D(2023, 1, 1), D(2023, 12, 31)),
        ("2024-12-31", D(2024, 12, 31), D(2024, 12, 31)),
    ],
)
def test_lower_and_upper(text, lower, upper):
    value = PartialDate.parse(text)

    assert (value.lower, value.upper) == (lower, upper)


# Renderings


@pytest.mark.parametrize("text", ["2024", "2024-05", "2024-05-17", "2024-12", "0999-01-02"])
def test_isoformat_round_trips(text):
    assert PartialDate.parse(text).isoformat() == text


def test_isoformat_of_a_date_built_from_its_first_day():
    assert PartialDate(D(2024, 5, 1), MONTH).isoformat() == "2024-05"
    assert PartialDate(D(2024, 1, 1), YEAR).isoformat() == "2024"
    assert PartialDate(D(2024, 1, 1)).isoformat() == "2024-01-01"


@pytest.mark.parametrize(
    ("text", "vietnamese", "english"),
    [
        ("2024-05-17", "17/05/2024", "17 May 2024"),
        ("2024-05-07", "07/05/2024", "7 May 2024"),
        ("2024-05", "05/2024", "May 2024"),
        ("2024-12", "12/2024", "Dec 2024"),
        ("2024", "2024", "2024"),
    ],
)
def test_display_as_stated_in_each_language(text, vietnamese, english):
    value = PartialDate.parse(text)

    with translation.override("vi"):
        assert value.display() == vietnamese
        assert str(value) == vietnamese
    with translation.override("en"):
        assert value.display() == english
        assert str(value) == english


# Equality


def test_day_precise_date_equals_the_plain_date():
    value = PartialDate.parse("2024-05-17")

    assert value == D(2024, 5, 17)
    assert D(2024, 5, 17) == value
    assert value != D(2024, 5, 18)
    assert hash(value) == hash(D(2024, 5, 17))
    assert value in {D(2024, 5, 17)}


@pytest.mark.parametrize("text", ["2024-05", "2024"])
def test_partial_date_never_equals_a_plain_date(text):
    value = PartialDate.parse(text)

    assert value != value.lower
    assert value.lower != value
    assert value != value.upper


def test_precision_is_part_of_equality():
    assert PartialDate.parse("2024-05") == PartialDate(D(2024, 5, 1), MONTH)
    assert PartialDate.parse("2024-05") != PartialDate.parse("2024-05-01")
    assert PartialDate.parse("2024") != PartialDate.parse("2024-01")
    assert PartialDate.parse("2024-05-17") != datetime.datetime(2024, 5, 17)
