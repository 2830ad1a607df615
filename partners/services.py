"""MOU workflows: renewing an MOU, and finding and e-mailing its expiry and missing-facts alerts."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import override

from kolregistry.access import ministry_users
from kolregistry.concurrency import lock_row

from .choices import MouAlertThreshold, MouPersonRole
from .models import Mou, MouAlert, MouPerson

# --- Renewal


def renewal_title(title):
    """The draft successor's title: the original's, marked as its renewal (once, however long the chain)."""
    suffix = _(" (renewal)")
    if title.endswith(suffix):
        return title
    limit = Mou._meta.get_field("title").max_length - len(suffix)
    return Truncator(title).chars(limit) + suffix


def renew_mou(mou, user):
    """Create and return a draft MOU renewing ``mou``, in one transaction; history names ``user``.

    The draft has the original's parties, scope, named KOLs and channels, notice period, responsible
    staff member and contact persons; its signing, period and document are left for the user to fill
    in. A draft cannot be renewed, nor an MOU that already has a renewal (``ValidationError``).
    """
    with transaction.atomic():
        # Two renewals of one MOU at the same time: the second waits here, then finds the first.
        lock_row(Mou, pk=mou.pk)
        existing = Mou.objects.filter(renews=mou).order_by("pk").first()
        if existing is not None:
            raise ValidationError(
                _("This MOU is already renewed by “%(renewal)s” (id %(id)s)."),
                code="already_renewed",
                params={"renewal": existing, "id": existing.pk},
            )
        if not mou.signed:
            raise ValidationError(_("A draft MOU cannot be renewed: only a signed one can."), code="draft")
        responsible = mou.responsible if responsible_may_stay(mou) else None
        draft = Mou(
            title=renewal_title(mou.title),
            agency=mou.agency,
            partner=mou.partner,
            scope=mou.scope,
            renews=mou,
            notice_period_days=mou.notice_period_days,
            responsible=responsible,
        )
        draft._history_user = user
        draft.full_clean()
        draft.save()
        draft.kols.set(mou.kols.all())
        draft.channels.set(mou.channels.all())
        for link in mou.people_links.filter(role=MouPersonRole.CONTACT).select_related("person"):
            contact = MouPerson(mou=draft, person=link.person, role=link.role, side=link.side)
            contact._history_user = user
            contact.full_clean()
            contact.save()
    return draft


def responsible_may_stay(mou):
    return mou.responsible_id is not None and ministry_users().filter(pk=mou.responsible_id).exists()


# --- Alerts


@dataclass
class Alert:
    """An alert due for an MOU: its state, the end date it is keyed on, and who is to receive it."""

    mou: Mou
    threshold: MouAlertThreshold
    ends_on: object
    recipients: list


def due_alerts(today):
    """Every alert the MOUs are in on ``today``, by threshold then end date, from one query per threshold.

    Drafts and terminated MOUs are in none: the conditions are ``MouQuerySet.alert_conditions``.
    """
    alerts = []
    for threshold in MouAlertThreshold:
        mous = Mou.objects.alerting(threshold, today).select_related("agency", "partner", "responsible")
        for mou in mous.order_by(F("ends_on_last").asc(nulls_last=True), "title", "pk"):
            alerts.append(Alert(mou, threshold, MouAlert.end_date_for(mou, threshold), recipients_for(mou)))
    return alerts


def recipients_for(mou):
    """The responsible staff member's address, else ``settings.MOU_ALERT_RECIPIENTS``."""
    user = mou.responsible
    if user is not None and user.is_active and user.email:
        return [user.email]
    return list(settings.MOU_ALERT_RECIPIENTS)


def already_sent(alert):
    return MouAlert.objects.filter(mou=alert.mou, threshold=alert.threshold, ends_on=alert.ends_on).exists()


def claim_and_send(alert, today):
    """Record ``alert`` and e-mail it, in one transaction; False if another run (or an earlier one) sent it.

    The INSERT is the claim: the unique constraint lets one transaction have it, and a concurrent
    one waits for it to end, then fails. Sending inside the transaction means a failed send rolls
    the claim back (the exception propagates), so the alert is retried on the next run; at worst a
    send that succeeds right before a failed commit goes out twice, never not at all.
    """
    try:
        with transaction.atomic():
            MouAlert.objects.create(
                mou=alert.mou, threshold=alert.threshold, ends_on=alert.ends_on, recipients=", ".join(alert.recipients)
            )
            subject, body = alert_message(alert, today)
            send_mail(subject, body, None, alert.recipients)
    except IntegrityError:
        return False
    return True


def alert_message(alert, today):
    """``(subject, body)`` of the e-mail, in the registry's language (settings.LANGUAGE_CODE)."""
    mou = alert.mou
    with override(settings.LANGUAGE_CODE):
        until = mou.in_force_until
        days_left = (until - today).days if until else None
        facts = {
            "title": mou.title,
            "partner": mou.partner,
            "agency": mou.agency,
            "end": mou.ends_on.display() if mou.ends_on else _("no end date recorded"),
            "days": days_left,
            "missing": ", ".join(str(fact) for fact in missing_facts(mou)),
        }
        subject = _("[KOL registry] %(alert)s: %(title)s") % {"alert": alert.threshold.label, "title": mou.title}
        situation = {
            MouAlertThreshold.NOTICE: _(
                "Its notice period of %(notice)s days has begun: decide now whether to renew it or let it end."
            )
            % {"notice": mou.notice_period_days},
            MouAlertThreshold.EXPIRES_SOON: _("It expires within 30 days. Renew it now if it is to continue."),
            MouAlertThreshold.EXPIRED: _("It has expired and no MOU renews it."),
            MouAlertThreshold.INCOMPLETE: _("It is signed, but the registry still misses: %(missing)s.") % facts,
        }[alert.threshold]
        lines = [
            _("MOU: %(title)s") % facts,
            _("Partner company: %(partner)s") % facts,
            _("Agency: %(agency)s") % facts,
            _("Ends on: %(end)s") % facts,
        ]
        if days_left is not None:
            lines.append(_("Days left: %(days)s") % facts)
        lines += ["", str(situation), "", _("Open the MOU: %(url)s") % {"url": admin_url(mou)}]
        return str(subject), "\n".join(str(line) for line in lines) + "\n"


def missing_facts(mou):
    """What a signed MOU's record lacks: its dates and its signed document."""
    checks = [
        (mou.signed_on, _("signing date")),
        (mou.starts_on, _("start date")),
        (mou.ends_on, _("end date")),
        (mou.document, _("signed document")),
    ]
    return [label for value, label in checks if not value]


def admin_url(mou):
    return settings.REGISTRY_BASE_URL + reverse("admin:partners_mou_change", args=[mou.pk])


def today():
    return timezone.localdate()
