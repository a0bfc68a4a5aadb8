"""Importing a checked spec: a new draft, a draft replaced whole, or a published version left alone."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from frameworks.fileformat.exporting import framework_to_spec
from frameworks.fileformat.spec import FrameworkFileError
from frameworks.models import Framework
from frameworks.tree import clear_tree, framework_fields, write_tree

OUTCOMES = ("created", "replaced", "unchanged")


def import_framework(spec: dict, *, publish: bool = False) -> tuple[Framework, str]:
    """Write a checked spec as the version it names; return (framework, "created" | "replaced" | "unchanged").

    A new version becomes a draft (published at once with publish=True); an existing draft is replaced
    whole; a published or archived version is left alone when the file matches it and refused otherwise.
    Nothing is written unless everything is.
    """
    key, version = spec["key"], spec["version"]
    try:
        with transaction.atomic():
            existing = Framework.objects.select_for_update().filter(key=key)
            versions = {framework.version: framework for framework in existing}
            framework = versions.get(version)
            if framework is not None and not framework.is_draft:
                if framework_to_spec(framework) != spec:
                    next_version = max(versions) + 1
                    raise FrameworkFileError(
                        f"version: version {version} of {key} is {framework.status} and cannot be changed; "
                        f"raise `version` to make a new one (the next free version is {next_version})"
                    )
                return framework, "unchanged"
            if framework is None:
                _check_new_version(key, version, versions)
                framework = Framework.objects.create(key=key, version=version, **framework_fields(spec))
                outcome = "created"
            else:
                for field, value in framework_fields(spec).items():
                    setattr(framework, field, value)
                framework.save()
                clear_tree(framework)
                outcome = "replaced"
            write_tree(framework, spec)
            if publish:
                try:
                    framework.publish()
                except ValidationError as exc:
                    raise FrameworkFileError(
                        [f"file: cannot be published: {message}" for message in exc.messages]
                    ) from None
    except (ProtectedError, RestrictedError):
        raise FrameworkFileError(
            f"version: draft version {version} of {key} is in use (people are placed on its levels), "
            "so it cannot be replaced; import the file as a new version instead"
        ) from None
    return framework, outcome


def _check_new_version(key, version, versions):
    if not versions:
        return
    latest = max(versions)
    if version < latest:
        raise FrameworkFileError(
            f"version: {key} already has version {latest}; a new version must be numbered above it "
            f"(use {latest + 1}), not {version}"
        )
    drafts = [number for number, framework in versions.items() if framework.is_draft]
    if drafts:
        raise FrameworkFileError(
            f"version: {key} already has a draft, version {drafts[0]}; a framework has one draft at a time, "
            f"so set `version: {drafts[0]}` to replace that draft, or publish or delete it first"
        )


def describe_outcome(framework: Framework, outcome: str) -> str:
    """One sentence on what an import did, e.g. "Created draft version 1 of Product management (product)."."""
    name = f"{framework.name} ({framework.key})"
    if outcome == "unchanged":
        return f"Version {framework.version} of {name} is unchanged ({framework.status})."
    verb = {"created": "Created", "replaced": "Replaced"}[outcome]
    if framework.is_draft:
        return f"{verb} draft version {framework.version} of {name}."
    return f"{verb} and published version {framework.version} of {name}."


def auto_version(spec: dict) -> int:
    """The version a file that names none imports into: the framework's draft if it has one; else its latest
    version when the file matches it exactly (so importing it again changes nothing); else the next number."""
    versions = list(Framework.objects.filter(key=spec["key"]).order_by("-version"))
    if not versions:
        return 1
    draft = next((framework for framework in versions if framework.is_draft), None)
    if draft is not None:
        return draft.version
    latest = versions[0]
    if framework_to_spec(latest) == {**spec, "version": latest.version}:
        return latest.version
    return latest.version + 1


@dataclass
class ImportResult:
    """What importing one framework did (or, in a preview, would do): enough to describe it after a rollback."""

    key: str
    name: str
    version: int
    status: str
    outcome: str
    pk: int | None
    replaces_published: bool
    spec: dict = field(repr=False)

    @property
    def counts(self) -> dict[str, int]:
        spec = self.spec
        levels = [level for track in spec["tracks"] for level in track["levels"]]
        return {
            "tracks": len(spec["tracks"]),
            "levels": len(levels),
            "capabilities": sum(len(area["capabilities"]) for area in spec["areas"]),
            "expectations": sum(len(level["expectations"]) for level in levels),
        }

    def describe(self, *, done: bool) -> str:
        """What the import did ("Created draft version 2 of Product management (product).") or, in a preview,
        will do ("Creates draft version 2 of ...")."""
        name = f"{self.name} ({self.key})"
        if self.outcome == "unchanged":
            return f"Version {self.version} of {name} is unchanged ({self.status})."
        verbs = {"created": ("Creates", "Created"), "replaced": ("Replaces", "Replaced")}[self.outcome]
        verb = verbs[done]
        if self.status == Framework.Status.DRAFT:
            return f"{verb} draft version {self.version} of {name}."
        return f"{verb} and {'published' if done else 'publishes'} version {self.version} of {name}."


class _Rollback(Exception):
    pass


def import_specs(
    specs, *, auto_versions=(), publish=False, dry_run=False, confirm_replacing=False
) -> list[ImportResult]:
    """Import every spec of a file in one transaction: all of them, or (FrameworkFileError) none.

    A spec whose file named no version gets one from auto_version. With dry_run the import runs whole and is
    rolled back, so a preview meets every refusal the real import would. With publish and confirm_replacing, a
    version that would replace another published one stays a draft (`replaces_published`), for HR to see who
    publishing it affects first.
    """
    results = []
    try:
        with transaction.atomic():
            for index, spec in enumerate(specs):
                if index < len(auto_versions) and auto_versions[index]:
                    spec = {**spec, "version": auto_version(spec)}
                replaces = Framework.objects.published().filter(key=spec["key"]).exclude(version=spec["version"])
                replaces_published = publish and confirm_replacing and replaces.exists()
                framework, outcome = _import_one(
                    spec, publish=publish and not replaces_published, several=len(specs) > 1
                )
                results.append(
                    ImportResult(
                        framework.key,
                        framework.name,
                        framework.version,
                        framework.status,
                        outcome,
                        None if dry_run else framework.pk,
                        replaces_published,
                        spec,
                    )
                )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return results


def _import_one(spec, *, publish, several):
    try:
        return import_framework(spec, publish=publish)
    except FrameworkFileError as exc:
        if not several:
            raise
        raise FrameworkFileError([f"{spec['key']}: {error}" for error in exc.errors]) from None
