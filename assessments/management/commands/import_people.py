from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.people.importer import import_people


class Command(BaseCommand):
    help = (
        "Create and update people from a CSV file (columns: email, name, job title, level as "
        "framework-key/level-key or framework-key/track-key/level-key, manager email). The whole file is "
        "checked first; nothing is written unless every row is good."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file (UTF-8).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and say what would change.")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        report = import_people(data, dry_run=dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{file}: {report.summary}")
        self.stdout.write(f"{'Dry run: ' if dry_run else ''}{report.summary}.")
        if dry_run:
            self.stdout.write("Nothing was written. Run again without --dry-run to import.")
        elif report.created:
            self.stdout.write(
                "New people have no password yet: ask them to use “Forgotten your password?” on the sign-in page."
            )
