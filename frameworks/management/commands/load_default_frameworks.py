from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.fileformat import FrameworkFileError, describe_outcome, import_framework, parse_framework_file

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Import and publish the frameworks that ship with Pathway (frameworks/data/*.yaml); safe to run again."

    def handle(self, *args, **options):
        paths = sorted(DATA_DIR.glob("*.yaml"))
        if not paths:
            raise CommandError(f"No framework files found in {DATA_DIR}.")
        for path in paths:
            try:
                spec = parse_framework_file(path.read_bytes(), path.name)
                framework, outcome = import_framework(spec, publish=True)
            except FrameworkFileError as exc:
                raise CommandError(f"{path.name} was not loaded:\n" + "\n".join(exc.errors)) from None
            self.stdout.write(describe_outcome(framework, outcome))
