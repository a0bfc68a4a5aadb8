"""python manage.py create_scim_token NAME: a bearer token for a directory's SCIM provisioning, printed once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.people.scim.models import ScimToken


class Command(BaseCommand):
    help = "Make a SCIM bearer token named NAME (e.g. okta) and print it once; revoke it in the admin."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who will use the token, e.g. okta or entra-id. Shown in the audit trail.")

    def handle(self, *args, name, **options):
        try:
            _token, secret = ScimToken.issue(name.strip())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(secret)
        self.stderr.write(
            f"SCIM token “{name.strip()}” made. Copy it now: Pathway keeps only its hash. "
            "The SCIM base URL is https://<your Pathway address>/scim/v2/"
        )
