"""Importing a checked spec: a new draft, a draft replaced whole, or a published version left alone."""

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
