from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.fileformat import FrameworkFileError, export_framework
from frameworks.fileformat.grid import export_grid
from frameworks.models import Framework


class Command(BaseCommand):
    help = (
        "Export a framework version as a pathway-framework/1 file: the published version unless --version "
        "says otherwise (the latest when none is published), to standard output unless --output is given."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version (the framework's) replaces Django's --version (Django's own version number).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("key", help="The framework's key, e.g. gov-product-management.")
        parser.add_argument("--version", type=int, dest="framework_version", help="The version number to export.")
        parser.add_argument(
            "--format",
            choices=["yaml", "json", "csv", "xlsx"],
            default="yaml",
            help="yaml (default) or json, or a spreadsheet grid: csv or xlsx (xlsx needs --output).",
        )
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        key, number = options["key"], options["framework_version"]
        versions = Framework.objects.filter(key=key)
        if not versions.exists():
            known = ", ".join(Framework.objects.order_by("key").values_list("key", flat=True).distinct())
            raise CommandError(f"There is no framework with the key '{key}'. Known keys: {known or 'none yet'}.")
        if number is not None:
            framework = versions.filter(version=number).first()
            if framework is None:
                numbers = ", ".join(str(v) for v in versions.order_by("version").values_list("version", flat=True))
                raise CommandError(f"{key} has no version {number}; its versions are {numbers}.")
        else:
            framework = (
                versions.filter(status=Framework.Status.PUBLISHED).first() or versions.order_by("-version").first()
            )
        fmt = options["format"]
        if fmt == "xlsx" and not options["output"]:
            raise CommandError("An xlsx export is a workbook, not text: name the file with --output.")
        try:
            data = export_grid(framework, fmt) if fmt in ("csv", "xlsx") else export_framework(framework, fmt)
        except FrameworkFileError as exc:
            raise CommandError(str(exc)) from None
        if options["output"]:
            path = Path(options["output"])
            try:
                path.write_bytes(data) if isinstance(data, bytes) else path.write_text(data, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {path}: {exc.strerror or exc}.") from None
            self.stdout.write(f"Wrote version {framework.version} of {framework.name} ({framework.status}) to {path}.")
        else:
            self.stdout.write(data.decode("utf-8") if isinstance(data, bytes) else data, ending="")
