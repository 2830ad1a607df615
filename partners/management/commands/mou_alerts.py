"""``manage.py mou_alerts``: e-mail each MOU's expiry and missing-facts alerts, once per MOU and threshold."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from partners import services


def parse_day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    """Find the MOUs in their notice period, expiring within 30 days, expired without a renewal, or signed but
    missing dates or the signed PDF, and e-mail each alert to the MOU's responsible staff member (or to
    MOU_ALERT_RECIPIENTS) once: a rerun, or a second server running the same cron, sends nothing twice.
    """

    help = "E-mail MOU expiry and missing-facts alerts, each once per MOU and threshold (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would be sent; send and record nothing.")
        parser.add_argument("--today", help="Compute the alerts as on this day (YYYY-MM-DD; default: today).")

    def handle(self, *args, dry_run=False, today=None, **options):
        day = parse_day(today) if today else services.today()
        counts = {"sent": 0, "would send": 0, "already sent": 0, "no recipient": 0, "failed": 0}
        for alert in services.due_alerts(day):
            outcome = self.handle_alert(alert, day, dry_run)
            counts[outcome] += 1
            recipients = ", ".join(alert.recipients) or "-"
            end = alert.ends_on.isoformat() if alert.ends_on else "-"
            self.stdout.write(
                f"{outcome:<12}  {alert.threshold.value:<12}  MOU {alert.mou.pk} “{alert.mou.title}”"
                f" (ends {end}) -> {recipients}"
            )
        shown = ("would send" if dry_run else "sent", "already sent")
        summary = ", ".join(f"{count} {outcome}" for outcome, count in counts.items() if count or outcome in shown)
        self.stdout.write(f"{'Dry run: ' if dry_run else ''}{day.isoformat()}: {summary}.")
        if counts["failed"] or counts["no recipient"]:
            # Cron mails a failing command's output to its owner: nothing is lost silently.
            raise CommandError(
                f"{counts['failed']} alert(s) could not be sent and {counts['no recipient']} had no recipient "
                "(set MOU_ALERT_RECIPIENTS); they are retried on the next run."
            )

    def handle_alert(self, alert, day, dry_run):
        if services.already_sent(alert):
            return "already sent"
        if not alert.recipients:
            return "no recipient"
        if dry_run:
            return "would send"
        try:
            return "sent" if services.claim_and_send(alert, day) else "already sent"
        except Exception as error:  # an SMTP or backend error: report it and go on with the other alerts
            self.stderr.write(f"Sending failed for MOU {alert.mou.pk} ({alert.threshold.value}): {error}")
            return "failed"
