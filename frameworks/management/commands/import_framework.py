from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.fileformat import FORMATS, MAX_FILE_BYTES, FrameworkFileError, import_specs, read_file
from frameworks.models import Framework

SINGULAR = {"tracks": "track", "levels": "level", "capabilities": "capability", "expectations": "expectation"}


def describe_counts(counts: dict) -> str:
    """For example "2 tracks, 5 levels, 5 capabilities and 13 expectations"."""
    parts = [f"{number} {what if number != 1 else SINGULAR[what]}" for what, number in counts.items()]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


class Command(BaseCommand):
    help = (
        "Import a framework file in any format Pathway reads (detected from the file, or --format): "
        "pathway-framework/1 YAML or JSON, a GDaD CSV, a spreadsheet grid (CSV or XLSX) or a Markdown ladder. "
        "A new version becomes "
        "a draft; --publish publishes it and archives the version published before it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the framework file.")
        parser.add_argument("--format", dest="file_format", choices=list(FORMATS), help="Read the file as this format.")
        parser.add_argument(
            "--key", help="The framework a spreadsheet grid belongs to (default: from the file's name)."
        )
        parser.add_argument("--publish", action="store_true", help="Publish the version once it is imported.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be imported; write nothing.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                # One byte over the limit is enough for the reader to refuse the file by its size.
                content = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        try:
            checked = read_file(content, path.name, options["file_format"], {"key": options["key"]})
            previous = {
                spec["key"]: version for spec in checked.specs for version in self._published_version(spec["key"])
            }
            results = import_specs(
                checked.specs,
                auto_versions=checked.auto_versions,
                publish=options["publish"],
                dry_run=options["dry_run"],
            )
        except FrameworkFileError as exc:
            raise CommandError(f"{path} was not imported, nothing was changed:\n" + "\n".join(exc.errors)) from None
        dry_run = options["dry_run"]
        for note in checked.notes:
            self.stdout.write(f"Note: {note}")
        for result in results:
            if dry_run:
                self.stdout.write(f"{result.describe(done=False)[:-1]}: {describe_counts(result.counts)}.")
                continue
            self.stdout.write(result.describe(done=True))
            archived = previous.get(result.key)
            if archived is not None and archived != result.version and result.status == "published":
                self.stdout.write(f"Version {archived} is now archived.")
        if dry_run:
            self.stdout.write("Nothing was written (--dry-run).")

    @staticmethod
    def _published_version(key):
        return Framework.objects.published().filter(key=key).values_list("version", flat=True)[:1]
