"""A generated organisation at scale (see assessments/orggen.py): `generate_org --people 20000`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments import orggen


class Command(BaseCommand):
    help = (
        "Generate an organisation of N people with review cycles, assessments and ratings, the same for the same "
        f"seed. Accounts are under @{orggen.DOMAIN} with the password {orggen.PASSWORD!r}; --clear removes them. "
        "For benchmarks and load tests: refuses to run when DEBUG is off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, help="How many people, the HR admin included (at least 2).")
        parser.add_argument("--cycles", type=int, default=5, help="Review cycles, the newest open (default 5).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same organisation.")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Remove a previously generated organisation first (alone, without --people: only remove it).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (the generated accounts share a published password).",
        )

    def handle(self, *args, people=None, cycles=5, seed=1, clear=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "generate_org creates accounts whose password is published, so it refuses to run when DEBUG is "
                "off. Use --force if this really is a benchmark or test site."
            )
        if people is None and not clear:
            raise CommandError("Say how many people: --people N (or --clear to remove a generated organisation).")
        if clear:
            removed = orggen.clear()
            self.stdout.write(
                f"Removed the generated organisation ({removed:,} people)." if removed else "Nothing to clear."
            )
        if people is None:
            return
        self.stdout.write(f"Generating {people:,} people, {cycles} review cycles, seed {seed}:")
        try:
            summary = orggen.generate(people, cycles, seed, log=self.stdout.write)
        except orggen.AlreadyGenerated as error:
            raise CommandError(str(error)) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(summary))
