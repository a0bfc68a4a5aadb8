"""SCIM Groups: the directory's groups, kept as it writes them. Membership of the one named "HR admins" is
membership of Pathway's HR admins group: the directory adds and removes the HR admins it names (people made HR
admins by hand stay, until the directory names and then drops them)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.db import transaction
from scim2_models import (
    Group,
    GroupMember,
    InvalidValueException,
    Meta,
    NotFoundException,
    UniquenessException,
)

from accounts.models import HR_ADMINS_GROUP
from assessments.people.models import Person
from assessments.people.scim.models import DirectoryGroup


def groups():
    return DirectoryGroup.objects.order_by("pk")


def get_group(group_id: str, *, for_update=False) -> DirectoryGroup:
    query = groups().select_for_update() if for_update else groups()
    group = query.filter(pk=int(group_id)).first() if group_id.isdigit() else None
    if group is None:
        raise NotFoundException(detail=f"There is no group with id {group_id}.")
    return group


def member_ids_of(group_ids) -> dict[int, list[int]]:
    """Each group's members (ids, removed users left out), in one query for a page of groups."""
    found: dict[int, list[int]] = {pk: [] for pk in group_ids}
    links = (
        DirectoryGroup.members.through.objects.filter(directorygroup_id__in=group_ids)
        .exclude(person__directory_entry__removed=True)
        .order_by("person_id")
        .values_list("directorygroup_id", "person_id")
    )
    for group_id, person_id in links:
        found[group_id].append(person_id)
    return found


def to_resource(group: DirectoryGroup, base: str, member_ids: list[int] | None = None) -> Group:
    if member_ids is None:
        member_ids = member_ids_of([group.pk])[group.pk]
    members = [GroupMember(value=str(pk), ref=f"{base}/Users/{pk}", type="User") for pk in member_ids]
    return Group(
        id=str(group.pk),
        external_id=group.external_id or None,
        display_name=group.display_name,
        members=members or None,
        meta=Meta(resource_type="Group", location=f"{base}/Groups/{group.pk}"),
    )


def _member_ids(resource: Group) -> set[int]:
    wanted = set()
    for member in resource.members or []:
        value = str(member.value or "")
        if str(member.type or "User") != "User":
            raise InvalidValueException(detail="Only users can be members of a group here.")
        if not value.isdigit():
            raise InvalidValueException(detail=f"The member {value} is not a user here.")
        wanted.add(int(value))
    found = set(
        Person.objects.filter(pk__in=wanted).exclude(directory_entry__removed=True).values_list("pk", flat=True)
    )
    if missing := wanted - found:
        raise InvalidValueException(detail=f"The member {min(missing)} is not a user here.")
    return found


def write(group: DirectoryGroup | None, resource: Group, token) -> DirectoryGroup:
    """Create or replace a group from `resource`, or change nothing and raise a SCIM error."""
    name = (resource.display_name or "").strip()
    if not name:
        raise InvalidValueException(detail="A group needs a displayName.")
    with transaction.atomic():
        clash = DirectoryGroup.objects.filter(display_name__iexact=name)
        if group is not None:
            clash = clash.exclude(pk=group.pk)
        if clash.exists():
            raise UniquenessException(detail=f"There is already a group named {name}.")
        wanted = _member_ids(resource)
        was_hr = group is not None and _is_hr(group)
        before = set(group.members.values_list("pk", flat=True)) if group else set()
        group = group or DirectoryGroup()
        group.display_name = name
        group.external_id = resource.external_id or ""
        try:
            group.full_clean()
        except Exception as error:
            raise InvalidValueException(detail=f"The displayName cannot be used: {error}") from error
        added, dropped = wanted - before, before - wanted
        group._change_reason = f"SCIM token “{token.name}”: members +{len(added)} −{len(dropped)}"
        group.save()
        group.members.remove(*dropped)
        group.members.add(*added)
        # A rename into or out of "HR admins" moves everyone in it.
        hr_before = before if was_hr else set()
        hr_after = wanted if _is_hr(group) else set()
        sync_hr_admins(hr_after - hr_before, hr_before - hr_after, token)
    return group


def delete(group: DirectoryGroup, token):
    with transaction.atomic():
        if _is_hr(group):
            sync_hr_admins(set(), set(group.members.values_list("pk", flat=True)), token)
        group._change_reason = f"SCIM token “{token.name}”: deleted"
        group.delete()


def leave_all_groups(person: Person, token):
    for group in person.directory_groups.select_for_update():
        group.members.remove(person)
        group._change_reason = f"SCIM token “{token.name}”: members +0 −1 (a deleted user)"
        group.save()
        if _is_hr(group):
            sync_hr_admins(set(), {person.pk}, token)


def _is_hr(group: DirectoryGroup) -> bool:
    return group.display_name.casefold() == HR_ADMINS_GROUP.casefold()


def sync_hr_admins(joined: set[int], left: set[int], token):
    """Put the people `joined` into Pathway's HR admins group (with access to the admin), take those who `left`
    out; each gets a row in their history saying which token did it."""
    if not joined and not left:
        return
    hr_group, _ = AuthGroup.objects.get_or_create(name=HR_ADMINS_GROUP)
    users = get_user_model().objects
    joined_users = list(Person.objects.filter(pk__in=joined).values_list("user_id", flat=True))
    left_users = list(Person.objects.filter(pk__in=left).values_list("user_id", flat=True))
    hr_group.user_set.add(*joined_users)
    users.filter(pk__in=joined_users).update(is_staff=True)
    hr_group.user_set.remove(*left_users)
    users.filter(pk__in=left_users, is_superuser=False).update(is_staff=False)
    for pk_set, action in ((joined, "added to HR admins"), (left, "removed from HR admins")):
        for person in Person.objects.filter(pk__in=pk_set).select_related("user"):
            person._change_reason = f"SCIM token “{token.name}”: {action}"
            person.save()
