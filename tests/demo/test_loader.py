"""The generic loader: loading twice writes nothing, and a bad data file fails loudly, naming the record."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo import facts
from demo.loader import DataError, Loader
from partners.models import Agency, Mou

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(autouse=True)
def no_demo_password(monkeypatch, settings):
    """Start without KOLREG_DEMO_PASSWORD, and hash passwords quickly (as tests/conftest.py may already)."""
    monkeypatch.delenv("KOLREG_DEMO_PASSWORD", raising=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def history_counts():
    """Rows in every simple-history table of every app (models and many-to-many history)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    }


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("password", [None, "demo-password-for-tests"])
def test_second_run_writes_nothing_history_included(monkeypatch, password):
    if password:
        monkeypatch.setenv("KOLREG_DEMO_PASSWORD", password)
    load_demo()
    before = history_counts()

    with CaptureQueriesContext(connection) as queries:
        output = load_demo()

    assert {"accounts.HistoricalPartnerAccount", "campaigns.HistoricalCampaign_hashtags"} <= set(before)
    assert history_counts() == before
    assert [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)] == []
    assert output.count("(0 created, 0 updated)") == len(facts.DEMO_MODELS)
    assert "Demo users: 3 (0 created)" in output


def write(tmp_path, text, name="bad.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


AGENCY = """\
records:
  - model: partners.agency
    key: {slug: test-agency}
    fields: {name: Test agency, kind: ministry%s}
    source: {description: a test}
"""


def test_a_small_file_loads_once_and_then_writes_nothing(tmp_path):
    path = write(tmp_path, AGENCY % ", notes: Loaded.", "ok.yaml")

    first = Loader().load([path])
    second = Loader().load([path])

    assert first.counts(Agency) == (1, 1, 0)
    assert second.counts(Agency) == (1, 0, 0)
    assert Agency.objects.get(slug="test-agency").notes == "Loaded."


def test_an_unknown_field_is_an_error_naming_the_file_and_record(tmp_path):
    path = write(tmp_path, AGENCY % ", colour: blue")

    with pytest.raises(DataError, match=r"bad\.yaml, record 1 \(partners\.agency .*'colour'"):
        Loader().load([path])


def test_a_field_the_loader_cannot_set_is_an_error(tmp_path):
    path = write(tmp_path, AGENCY % ", search_text: anything")

    with pytest.raises(DataError, match="search_text"):
        Loader().load([path])


def test_an_unknown_reference_is_an_error_naming_the_file_and_record(tmp_path):
    path = write(tmp_path, AGENCY % ", parent: no-such-agency")

    with pytest.raises(DataError, match=r"bad\.yaml, record 1 .*no partners\.Agency matches .*no-such-agency"):
        Loader().load([path])
    assert not Agency.objects.exists()


def test_an_unknown_many_to_many_reference_is_an_error(tmp_path):
    text = AGENCY % "" + (
        "  - model: partners.mou\n"
        "    key: {title: Test MOU}\n"
        "    fields: {agency: test-agency, partner: {slug: nobody}}\n"
        "    source: {description: a test}\n"
    )
    path = write(tmp_path, text)

    with pytest.raises(DataError, match=r"record 2 \(partners\.mou .*no partners\.PartnerCompany matches"):
        Loader().load([path])
    assert not Mou.objects.exists()


@pytest.mark.parametrize(
    "record",
    [
        "  - {model: partners.nosuchmodel, key: {slug: x}}\n",
        "  - {model: partners.agency, key: {slug: x}, feilds: {name: X}}\n",
        "  - {model: partners.agency, key: {nosuchfield: x}}\n",
    ],
    ids=["model", "record key", "key field"],
)
def test_unknown_names_are_errors(tmp_path, record):
    path = write(tmp_path, "records:\n" + record)

    with pytest.raises(DataError, match=r"bad\.yaml, record 1"):
        Loader().load([path])


def test_load_demo_reports_a_bad_file_as_a_command_error_and_loads_nothing(tmp_path, monkeypatch):
    bad = write(tmp_path, AGENCY % ", parent: no-such-agency", "zz_bad.yaml")
    monkeypatch.setattr(facts, "DATA_FILES", [*facts.DATA_FILES, bad])

    with pytest.raises(CommandError, match=r"zz_bad\.yaml, record 1 .*no-such-agency"):
        call_command("load_demo", verbosity=0)
    assert not Agency.objects.exists()


INFERRED_AGENCY = """\
records:
  - model: partners.agency
    key: {slug: test-agency}
    fields: {name: Test agency, kind: ministry}
    source: {description: a test%s}
"""


def test_inferences_are_stored_idempotently_and_taken_off_when_dropped(tmp_path):
    inferred = write(tmp_path, INFERRED_AGENCY % ", inferred: {kind: our classification}", "inferred.yaml")
    plain = write(tmp_path, INFERRED_AGENCY % "", "plain.yaml")

    first = Loader().load([inferred])
    again = Loader().load([inferred])
    assert Agency.objects.get().inferences == {"kind": "our classification"}
    dropped = Loader().load([plain])

    assert (first.counts(Agency), again.counts(Agency), dropped.counts(Agency)) == ((1, 1, 0), (1, 0, 0), (1, 0, 1))
    assert Agency.objects.get().inferences == {}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (", inferred: {colour: a guess}", r"record 1 .*inferences.*colour"),
        (", inferred: {kind: ''}", r"record 1 .*reason why the value of “kind”"),
        (", inferred: kind is ours", r"record 1 .*source\.inferred must map field names to reasons"),
    ],
    ids=["unknown field", "no reason", "not a mapping"],
)
def test_a_bad_inference_is_an_error_naming_the_record(tmp_path, source, message):
    path = write(tmp_path, INFERRED_AGENCY % source)

    with pytest.raises(DataError, match=message):
        Loader().load([path])
    assert not Agency.objects.exists()


def test_inferences_are_not_given_as_a_field(tmp_path):
    path = write(tmp_path, AGENCY % ", inferences: {kind: our classification}")

    with pytest.raises(DataError, match=r"source\.inferred"):
        Loader().load([path])
