import datetime

from django.core.management.base import BaseCommand, CommandError

from assessments.growth.feedback_emails import send_feedback_reminders
from assessments.reviews.cycles import day_month
from assessments.reviews.reminders import send_cycle_reminders


class Command(BaseCommand):
    help = (
        "Email reminders before the open review cycle's deadlines to those who have not finished: self-assessments "
        "not submitted, and managers whose reports' reviews are not shared. Each person gets one reminder per "
        "deadline, however often this runs: schedule it hourly (see README). Also reminds colleagues of the feedback "
        "requests they have not answered, once, two days before each is due."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Remind this many days before a deadline (CYCLE_REMINDER_DAYS)."
        )
        parser.add_argument("--date", default=None, help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, days, date, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        if date is not None:
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date must be a date like 2026-03-14; got {date!r}.") from None
        sent = send_cycle_reminders.call(today=date, days_before=days)
        if not sent:
            self.stdout.write("No reminders due: no deadline of an open review cycle is close enough.")
        for line in sent:
            what = "self-assessments" if line["kind"] == "self" else "manager reviews"
            count = line["reminded"]
            if line["kind"] == "self":
                who = "person" if count == 1 else "people"
            else:
                who = "manager" if count == 1 else "managers"
            day = day_month(datetime.date.fromisoformat(line["deadline"]))
            self.stdout.write(f"{line['cycle']}: reminded {count} {who} of {what} due {day}.")
        colleagues = send_feedback_reminders.call(today=date)
        if colleagues:
            who = "colleague" if colleagues == 1 else "colleagues"
            self.stdout.write(f"Feedback requests: reminded {colleagues} {who} of a request due soon.")
