"""MOU alerts: the states ``mou_alerts`` finds, once per MOU and threshold, dry runs, recipients, the e-mail, races."""

import datetime
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from partners.choices import MouAlertThreshold
from partners.models import Mou, MouAlert
from tests.factories import MouFactory, PartnerCompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

SCHANNEL_TITLE = "SChannel KOL communication MOU 2024\u20132027"

# The SChannel MOU of the demo runs 2024-2027: its last day is 31/12/2027, its notice period (90 days) starts
# on 2/10/2027 and its last 30 days on 1/12/2027.
END = datetime.date(2027, 12, 31)
IN_NOTICE = datetime.date(2027, 11, 15)
IN_LAST_30_DAYS = datetime.date(2027, 12, 15)
AFTER_END = datetime.date(2028, 1, 15)
PDF_NAME = "mous/2024/schannel.pdf"


def run(*args):
    out = StringIO()
    call_command("mou_alerts", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def responsible():
    return UserFactory(is_staff=True, is_superuser=True, email="mou.desk@example.test")


@pytest.fixture
def schannel_mou(responsible):
    """As the demo has it (signed 05/2024 for 2024-2027), with its signed PDF: complete, so no missing-facts alert."""
    return MouFactory(
        title=SCHANNEL_TITLE,
        partner=PartnerCompanyFactory(short_name="SChannel"),
        signed_on=datetime.date(2024, 5, 1),
        starts_on=datetime.date(2024, 1, 1),
        ends_on=END,
        document=PDF_NAME,
        responsible=responsible,
    )


def alerts():
    return sorted((alert.mou_id, alert.threshold, alert.ends_on) for alert in MouAlert.objects.all())


@pytest.mark.parametrize(
    ("today", "threshold"),
    [
        (IN_NOTICE, MouAlertThreshold.NOTICE),
        (IN_LAST_30_DAYS, MouAlertThreshold.EXPIRES_SOON),
        (AFTER_END, MouAlertThreshold.EXPIRED),
    ],
)
def test_each_deadline_state_is_found_and_alerted_once(schannel_mou, today, threshold):
    output = run("--today", today.isoformat())

    assert alerts() == [(schannel_mou.pk, threshold, END)]
    assert f"sent          {threshold.value}" in output
    assert len(mail.outbox) == 1
    assert set(Mou.objects.alerting(threshold, today)) == {schannel_mou}


def test_nothing_is_due_before_the_notice_period(schannel_mou):
    assert "0 sent, 0 already sent." in run("--today", "2027-01-01")
    assert not MouAlert.objects.exists()


def test_a_rerun_sends_nothing_twice(schannel_mou):
    run("--today", IN_NOTICE.isoformat())
    output = run("--today", IN_NOTICE.isoformat())

    assert "already sent  notice" in output
    assert output.rstrip().endswith("2027-11-15: 0 sent, 1 already sent.")
    assert len(mail.outbox) == 1
    assert MouAlert.objects.count() == 1


def test_the_notice_period_is_the_mous_own(schannel_mou):
    schannel_mou.notice_period_days = 30  # its notice begins with its last 30 days: only that alert
    schannel_mou.save()
    assert not Mou.objects.alerting(MouAlertThreshold.NOTICE, IN_NOTICE).exists()
    schannel_mou.notice_period_days = 365
    schannel_mou.save()
    assert set(Mou.objects.alerting(MouAlertThreshold.NOTICE, datetime.date(2027, 1, 15))) == {schannel_mou}


def test_an_mou_extended_after_its_alert_is_alerted_again_for_its_new_end(schannel_mou):
    run("--today", IN_LAST_30_DAYS.isoformat())
    schannel_mou.ends_on = datetime.date(2028, 1, 10)
    schannel_mou.save()
    run("--today", IN_LAST_30_DAYS.isoformat())

    expires_soon = MouAlertThreshold.EXPIRES_SOON
    new_end = datetime.date(2028, 1, 10)
    assert alerts() == [(schannel_mou.pk, expires_soon, END), (schannel_mou.pk, expires_soon, new_end)]
    assert len(mail.outbox) == 2


def test_an_expired_mou_that_is_renewed_is_not_alerted(schannel_mou):
    MouFactory(renews=schannel_mou, signed=False, starts_on=None, ends_on=None)

    assert "0 sent" in run("--today", AFTER_END.isoformat())
    assert not MouAlert.objects.exists()


def test_drafts_and_terminated_mous_are_not_alerted(schannel_mou):
    MouFactory(signed=False, ends_on=END)  # a draft, also missing its dates and document
    MouFactory(ends_on=END, terminated_on=datetime.date(2025, 6, 1))

    run("--today", IN_NOTICE.isoformat())
    assert {mou for mou, _threshold, _end in alerts()} == {schannel_mou.pk}


def test_a_signed_mou_missing_dates_or_its_document_is_alerted_once(responsible):
    vitamin = MouFactory(title="Vitamin KOL communication MOU", starts_on=None, ends_on=None, responsible=responsible)

    run("--today", IN_NOTICE.isoformat())
    run("--today", AFTER_END.isoformat())

    assert alerts() == [(vitamin.pk, MouAlertThreshold.INCOMPLETE, None)]
    (message,) = mail.outbox
    assert "signing date, start date, end date, signed document" in message.body


def test_a_dry_run_writes_and_sends_nothing(schannel_mou):
    output = run("--dry-run", "--today", IN_NOTICE.isoformat())

    assert "would send    notice" in output
    assert output.rstrip().endswith("Dry run: 2027-11-15: 1 would send, 0 already sent.")
    assert not MouAlert.objects.exists()
    assert mail.outbox == []


def test_without_a_responsible_address_the_alert_goes_to_the_fallback_list(schannel_mou, settings):
    settings.MOU_ALERT_RECIPIENTS = ["mou-desk@example.test", "legal@example.test"]
    schannel_mou.responsible.email = ""
    schannel_mou.responsible.save()

    run("--today", IN_NOTICE.isoformat())

    assert mail.outbox[0].to == ["mou-desk@example.test", "legal@example.test"]
    assert MouAlert.objects.get().recipients == "mou-desk@example.test, legal@example.test"


def test_with_no_recipient_at_all_nothing_is_recorded_and_the_command_fails(schannel_mou, settings):
    settings.MOU_ALERT_RECIPIENTS = []
    schannel_mou.responsible = None
    schannel_mou.save()

    with pytest.raises(CommandError, match="MOU_ALERT_RECIPIENTS"):
        run("--today", IN_NOTICE.isoformat())
    assert not MouAlert.objects.exists()


def test_the_email_names_the_mou_its_parties_end_days_left_and_link(schannel_mou, settings):
    settings.REGISTRY_BASE_URL = "https://registry.example.gov.vn"
    settings.LANGUAGE_CODE = "en"

    run("--today", IN_LAST_30_DAYS.isoformat())

    (message,) = mail.outbox
    assert message.to == ["mou.desk@example.test"]
    assert message.subject == f"[KOL registry] Expires within 30 days: {SCHANNEL_TITLE}"
    for line in [
        f"MOU: {SCHANNEL_TITLE}",
        "Partner company: SChannel",
        f"Agency: {schannel_mou.agency}",
        "Ends on: 31 Dec 2027",
        "Days left: 16",
        "It expires within 30 days.",
        f"https://registry.example.gov.vn{reverse('admin:partners_mou_change', args=[schannel_mou.pk])}",
    ]:
        assert line in message.body


class FailingBackend(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_a_failed_send_records_nothing_so_the_next_run_retries(schannel_mou, settings):
    settings.EMAIL_BACKEND = "tests.partners.test_mou_alerts.FailingBackend"
    with pytest.raises(CommandError, match="1 alert"):
        run("--today", IN_NOTICE.isoformat())
    assert not MouAlert.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "1 sent" in run("--today", IN_NOTICE.isoformat())
    assert len(mail.outbox) == 1


def test_a_bad_today_is_a_clean_error():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--today", "31/12/2027")


def test_the_database_refuses_a_second_alert_for_one_mou_threshold_and_end(schannel_mou):
    MouAlert.objects.create(mou=schannel_mou, threshold=MouAlertThreshold.NOTICE, ends_on=END, recipients="a@b.test")
    MouAlert.objects.create(mou=schannel_mou, threshold=MouAlertThreshold.INCOMPLETE, recipients="a@b.test")
    for threshold, ends_on in [(MouAlertThreshold.NOTICE, END), (MouAlertThreshold.INCOMPLETE, None)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            MouAlert.objects.create(mou=schannel_mou, threshold=threshold, ends_on=ends_on, recipients="a@b.test")
    with pytest.raises(IntegrityError, match="mou_alert_end_date_for_deadlines"), transaction.atomic():
        MouAlert.objects.create(mou=schannel_mou, threshold=MouAlertThreshold.EXPIRED, recipients="a@b.test")


def test_the_notice_period_is_checked_by_validation_and_by_the_database(schannel_mou):
    schannel_mou.notice_period_days = 0
    with pytest.raises(ValidationError) as error:
        schannel_mou.full_clean()
    assert "notice_period_days" in error.value.message_dict
    with pytest.raises(IntegrityError, match="mou_notice_period_range"), transaction.atomic():
        Mou.objects.filter(pk=schannel_mou.pk).update(notice_period_days=0)


def test_the_notice_period_defaults_to_the_setting(settings):
    settings.MOU_NOTICE_PERIOD_DAYS = 60
    assert MouFactory().notice_period_days == 60


def test_the_mou_list_and_the_dashboard_show_the_states_the_command_alerts(schannel_mou, admin_client):
    """One source of truth: the list's "alert" filter and the dashboard's counts use the command's conditions."""
    MouFactory(starts_on=None, ends_on=None)  # missing facts
    changelist = reverse("admin:partners_mou_changelist")

    notice = admin_client.get(changelist, {"alert": "notice"})
    incomplete = admin_client.get(changelist, {"alert": "incomplete"})
    dashboard = admin_client.get(reverse("admin:index"))

    today = timezone.localdate()
    for threshold, response in [("notice", notice), ("incomplete", incomplete)]:
        expected = set(Mou.objects.alerting(threshold, today))
        assert set(response.context["cl"].result_list) == expected
    counts = dict(dashboard.context["alert_counts"])
    assert counts == {threshold: Mou.objects.alerting(threshold, today).count() for threshold in MouAlertThreshold}
    assert counts[MouAlertThreshold.INCOMPLETE] == 1


# --- Two runs at once (PostgreSQL: SQLite has no concurrent writers)


class RaceBackend(EmailBackend):
    """Holds the first send, with its claim uncommitted, until another connection waits on a lock: the race is real."""

    held = threading.Event()
    saw_a_waiting_run = False

    def send_messages(self, messages):
        if not RaceBackend.held.is_set():
            RaceBackend.held.set()
            with connections["default"].cursor() as cursor:
                for _attempt in range(200):
                    cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction sees one snapshot otherwise
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND datname = current_database()"
                    )
                    if cursor.fetchone()[0]:
                        RaceBackend.saw_a_waiting_run = True
                        break
                    threading.Event().wait(0.05)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_send_each_alert_exactly_once(schannel_mou, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's in-memory test database cannot be written by two connections at once")
    settings.EMAIL_BACKEND = "tests.partners.test_mou_alerts.RaceBackend"
    RaceBackend.held.clear()
    RaceBackend.saw_a_waiting_run = False
    MouFactory(starts_on=None, ends_on=None, responsible=schannel_mou.responsible)  # a second alert to race on
    start = threading.Barrier(2)
    outputs, errors = [], []

    def one_run():
        try:
            start.wait()
            outputs.append(run("--today", IN_NOTICE.isoformat()))
        except Exception as error:  # reported below, with the other run's output
            errors.append(error)
        finally:
            connection.close()

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()

    assert errors == []
    assert RaceBackend.saw_a_waiting_run, "the second run never waited on the first one's claim"
    assert len(mail.outbox) == MouAlert.objects.count() == 2
    assert sorted(message.subject.split(":")[0] for message in mail.outbox) == [
        "[KOL registry] Notice period entered",
        "[KOL registry] Signed but missing dates or the signed document",
    ]
    lines = [line for output in outputs for line in output.splitlines()]
    assert sum(line.startswith("sent ") for line in lines) == 2
    assert sum(line.startswith("already sent ") for line in lines) == 2
