from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.static_site import StaticSiteError, export_site


class Command(BaseCommand):
    help = (
        "Write the public frameworks (their published versions) as a static site into DIR: HTML pages and their "
        "CSS, with relative links, to host anywhere or open from the file system (DIR/index.html). Nothing about "
        "people is in it. Files of the same names in DIR are replaced; others are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="The folder to write into (made if missing).")

    def handle(self, *args, **options):
        out = Path(options["dir"])
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} is a file, not a folder. Choose a folder to write the site into.")
        try:
            site = export_site(out)
        except StaticSiteError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Could not write into {out}: {exc.strerror or exc}.") from exc
        count = len(site.published)
        if not count:
            self.stdout.write(
                self.style.WARNING(
                    "No framework is public yet, so the site lists none. HR makes a published framework public "
                    "on its admin page (Make public)."
                )
            )
        self.stdout.write(
            f"Wrote {len(site.files)} page{'s' if len(site.files) != 1 else ''} for {count} public "
            f"framework{'s' if count != 1 else ''}, and {len(site.assets)} static files, to {out}. "
            f"Open {out / 'index.html'}."
        )
