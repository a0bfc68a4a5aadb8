"""Rebuild calibration's tallies (assessments/reviews/tallies.py) from the ratings: after writes that went around
submit and return (a restore, a bulk import, a script)."""

from django.core.management.base import BaseCommand

from assessments.reviews.tallies import RatingTally, refresh_tallies


class Command(BaseCommand):
    help = "Recompute calibration's tally of every submitted manager assessment from the ratings."

    def handle(self, *args, **options):
        refresh_tallies()
        self.stdout.write(f"Tallied {RatingTally.objects.count():,} submitted manager assessments.")
