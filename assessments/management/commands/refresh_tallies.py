"""Rebuild calibration's tallies (assessments/reviews/tallies.py) and the stored verdicts (reviews/verdict_sql.py)
from the ratings: after writes that went around submit and return (a restore, a bulk import, a script)."""

from django.core.management.base import BaseCommand

from assessments.reviews.tallies import RatingTally, refresh_tallies
from assessments.reviews.verdict_sql import VerdictTally, refresh_verdicts


class Command(BaseCommand):
    help = "Recompute calibration's tally and the verdict of every submitted manager assessment from the ratings."

    def handle(self, *args, **options):
        refresh_tallies()
        refresh_verdicts()
        self.stdout.write(
            f"Tallied {RatingTally.objects.count():,} submitted manager assessments. "
            f"Stored {VerdictTally.objects.count():,} verdicts."
        )
