"""A demo organisation on the default frameworks, with one known password. Safe to run again."""

import csv
import io

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import HR_ADMINS_GROUP, User
from assessments.demo import seed_demo_assessments
from assessments.demo_evidence import seed_demo_evidence
from assessments.demo_feedback import seed_demo_feedback
from assessments.demo_plans import seed_demo_plans
from assessments.people.importer import import_people
from frameworks.models import Framework

DEMO_PASSWORD = "pathway-demo"
GOV = "gov-product-management"
TRACKS = "product-tracks"

# (role shown in the sign-in table, name, email, job title, level, manager email); README's table says the same
# (tests/assessments/test_seed_demo.py keeps them in step)
# Nadia heads product across two branches: public services, on the government framework (Leo's team), and the
# platform group, on the IC and management tracks (Grace's team). Job titles name the branch so that a manager's
# next step on the other framework (Grace's is Head of Product) reads as a career step, not a clash.
DEMO_PEOPLE = [
    ("HR admin", "Harriet Hughes", "hr@example.com", "HR business partner", "", ""),
    (
        "Head of Product (manages the managers)",
        "Nadia Okafor",
        "nadia@example.com",
        "Head of Product",
        f"{GOV}/hop",
        "",
    ),
    (
        "Manager, Lead PM",
        "Leo Lambert",
        "leo@example.com",
        "Lead Product Manager, Public services",
        f"{GOV}/lpm",
        "nadia@example.com",
    ),
    (
        "Manager, Group PM",
        "Grace Park",
        "grace@example.com",
        "Group Product Manager, Platform",
        f"{TRACKS}/group-pm",
        "nadia@example.com",
    ),
    ("PM", "Alex Morgan", "alex@example.com", "Senior Product Manager", f"{GOV}/spm", "leo@example.com"),
    ("PM", "Ravi Shah", "ravi@example.com", "Product Manager", f"{GOV}/pm", "leo@example.com"),
    ("PM", "Bea Carter", "bea@example.com", "Associate Product Manager", f"{GOV}/apm", "leo@example.com"),
    ("PM", "Chloe Evans", "chloe@example.com", "Product Manager", f"{TRACKS}/pm", "grace@example.com"),
    ("PM", "Dev Patel", "dev@example.com", "Senior Product Manager", f"{TRACKS}/senior-pm", "grace@example.com"),
    (
        "PM",
        "Ella Brown",
        "ella@example.com",
        "Principal Product Manager",
        f"{TRACKS}/principal-pm",
        "grace@example.com",
    ),
    # No level yet: HR sets it after the probation review.
    (
        "New joiner without a level",
        "Finn Walsh",
        "finn@example.com",
        "Product Manager (new joiner)",
        "",
        "grace@example.com",
    ),
]
HR_ADMIN_EMAILS = {"hr@example.com"}


def demo_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "name", "job title", "level", "manager email"])
    for _role, name, email, job_title, level, manager in DEMO_PEOPLE:
        writer.writerow([email, name, job_title, level, manager])
    return out.getvalue()


class Command(BaseCommand):
    help = (
        "Create (or bring back) the demo organisation on the default frameworks, every account with the "
        f"password {DEMO_PASSWORD!r}. For demos only: refuses to run when DEBUG is off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (the demo accounts share a published password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts whose password is published, so it refuses to run when DEBUG is off. "
                "Use --force if this really is a demo site."
            )
        self._ensure_frameworks()
        with transaction.atomic():
            report = import_people(demo_csv())
            if not report.ok:
                raise CommandError("The demo organisation could not be loaded:\n" + "\n".join(report.errors))
            changed = self._accounts()
        touched = len(report.created) + len(report.updated) + changed
        self.stdout.write(
            f"Demo organisation ready: {report.summary}"
            + (f", {changed} {'account' if changed == 1 else 'accounts'} set up for sign-in." if changed else ".")
            if touched
            else "Demo organisation already in place: nothing changed."
        )
        self.stdout.write(seed_demo_assessments())
        self.stdout.write(seed_demo_evidence())
        self.stdout.write(seed_demo_plans())
        self.stdout.write(seed_demo_feedback())
        self._print_sign_ins()

    def _ensure_frameworks(self):
        wanted = {GOV, TRACKS}
        if wanted <= set(Framework.objects.published().values_list("key", flat=True)):
            return
        try:
            call_command("load_default_frameworks", stdout=self.stdout, stderr=self.stderr)
        except CommandError as error:
            if "Unknown command" in str(error):
                raise CommandError(
                    "The default frameworks are not loaded and this Pathway has no load_default_frameworks command."
                ) from None
            raise
        missing = wanted - set(Framework.objects.published().values_list("key", flat=True))
        if missing:
            raise CommandError(f"The default frameworks did not load: {', '.join(sorted(missing))} missing.")

    def _accounts(self) -> int:
        """Give every demo account the demo password and the right access; count the accounts changed."""
        group, _ = Group.objects.get_or_create(name=HR_ADMINS_GROUP)
        changed = 0
        # Password hashing is slow on purpose: the demo accounts share one hash, so checking and setting
        # it costs one hash per distinct stored value rather than one per account.
        demo_hash = None
        is_demo_hash: dict[str, bool] = {}
        for user in User.objects.filter(email__in=[row[2] for row in DEMO_PEOPLE]).prefetch_related("groups"):
            fields = []
            if user.password not in is_demo_hash:
                is_demo_hash[user.password] = check_password(DEMO_PASSWORD, user.password)
            if not is_demo_hash[user.password]:
                demo_hash = demo_hash or make_password(DEMO_PASSWORD)
                user.password = demo_hash
                fields.append("password")
            if not user.is_active:
                user.is_active = True
                fields.append("is_active")
            is_hr = user.email in HR_ADMIN_EMAILS
            if user.is_staff != is_hr:
                user.is_staff = is_hr
                fields.append("is_staff")
            if fields:
                user.save(update_fields=fields)
            if is_hr and not any(g.pk == group.pk for g in user.groups.all()):
                user.groups.add(group)
                fields.append("groups")
            changed += bool(fields)
        return changed

    def _print_sign_ins(self):
        rows = [("Role", "Name", "Email")] + [(role, name, email) for role, name, email, *_ in DEMO_PEOPLE]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (every account's password: {DEMO_PASSWORD}; demo only):")
        for index, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
