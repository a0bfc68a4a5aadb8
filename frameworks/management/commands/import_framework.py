from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.fileformat import (
    MAX_FILE_BYTES,
    FrameworkFileError,
    describe_outcome,
    import_framework,
    parse_framework_file,
)
from frameworks.models import Framework


class Command(BaseCommand):
    help = (
        "Import a framework file (pathway-framework/1, YAML or JSON). A new version becomes a draft; "
        "--publish publishes it and archives the version published before it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to a .yaml, .yml or .json framework file.")
        parser.add_argument("--publish", action="store_true", help="Publish the version once it is imported.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                # One byte over the limit is enough for the parser to refuse the file by its size.
                content = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        try:
            spec = parse_framework_file(content, path.name)
            previous = Framework.objects.published().filter(key=spec["key"]).first()
            framework, outcome = import_framework(spec, publish=options["publish"])
        except FrameworkFileError as exc:
            raise CommandError(f"{path} was not imported, nothing was changed:\n" + "\n".join(exc.errors)) from None
        self.stdout.write(describe_outcome(framework, outcome))
        if previous is not None and previous.pk != framework.pk and framework.status == Framework.Status.PUBLISHED:
            self.stdout.write(f"Version {previous.version} is now archived.")
