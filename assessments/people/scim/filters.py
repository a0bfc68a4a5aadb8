"""SCIM filters (RFC 7644 §3.4.2.2) as database queries, so a filtered, paginated list never loads a table."""

from django.db.models import Q
from scim2_models import InvalidFilterException, ScimFilter
from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterVisitor,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)

from assessments.people.scim.schemas import ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA

LOOKUPS = {
    CompareOperator.eq: "iexact",
    CompareOperator.ne: "iexact",
    CompareOperator.co: "icontains",
    CompareOperator.sw: "istartswith",
    CompareOperator.ew: "iendswith",
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}

# (attribute, sub-attribute), lower-cased → the field it is stored in. userName is special (see `_user_name`).
USER_FIELDS = {
    ("id", None): "pk",
    ("externalid", None): "directory_entry__external_id",
    ("displayname", None): "user__full_name",
    ("name", "formatted"): "user__full_name",
    ("name", "givenname"): "directory_entry__given_name",
    ("name", "familyname"): "directory_entry__family_name",
    ("title", None): "job_title",
    ("usertype", None): "employee_type",
    ("active", None): "user__is_active",
    ("emails", None): "user__email",
    ("emails", "value"): "user__email",
    ("emails", "type"): "directory_entry__email_type",
    ("department", None): "department",
    ("manager", None): "manager_id",
    ("manager", "value"): "manager_id",
    ("meta", "created"): "user__date_joined",
}
GROUP_FIELDS = {
    ("id", None): "pk",
    ("externalid", None): "external_id",
    ("displayname", None): "display_name",
    ("members", None): "members__pk",
    ("members", "value"): "members__pk",
}
EXACT_FIELDS = {"pk", "manager_id", "members__pk", "user__is_active"}


class _ToQuery(FilterVisitor[Q]):
    def __init__(self, fields: dict, schemas: set[str]):
        self.fields = fields
        self.schemas = schemas
        self.outer: str | None = None  # inside emails[...], the attribute the sub-filter applies to

    def _field(self, path: AttrPath) -> tuple[str, str | None]:
        if path.uri and path.uri.lower() not in self.schemas:
            raise InvalidFilterException(detail=f"Pathway does not filter on the schema {path.uri}.")
        key = (path.attr.lower(), path.sub_attr.lower() if path.sub_attr else None)
        if self.outer is not None:
            key = (self.outer, path.attr.lower())
        if key == ("username", None):
            return "userName", None
        if key not in self.fields:
            raise InvalidFilterException(detail=f"Pathway cannot filter on “{path}”.")
        return self.fields[key], key[0]

    def visit_comparison(self, node: Comparison) -> Q:
        field, _ = self._field(node.attr_path)
        lookup = LOOKUPS.get(node.op)
        if lookup is None:
            raise InvalidFilterException(detail=f"Pathway does not filter with “{node.op}”.")
        value = node.value
        if field in EXACT_FIELDS:
            if node.op not in (CompareOperator.eq, CompareOperator.ne):
                raise InvalidFilterException(detail=f"“{node.attr_path}” is compared with eq or ne only.")
            if field != "user__is_active":
                value = int(value) if str(value).isdigit() else 0
            lookup = "exact"
        query = _user_name(lookup, value) if field == "userName" else Q(**{f"{field}__{lookup}": value})
        return ~query if node.op == CompareOperator.ne else query

    def visit_present(self, node: Present) -> Q:
        field, _ = self._field(node.attr_path)
        if field == "userName":
            return Q()
        if field in EXACT_FIELDS:
            return Q(**{f"{field}__isnull": False})
        return Q(**{f"{field}__gt": ""})

    def visit_not(self, node: Not) -> Q:
        return ~self.visit(node.expr)

    def visit_logical_expr(self, node: LogicalExpr) -> Q:
        query = Q()
        for index, term in enumerate(node.terms):
            part = self.visit(term)
            if index == 0:
                query = part
            elif node.op == LogicalOperator.and_:
                query &= part
            else:
                query |= part
        return query

    def visit_value_path(self, node: ValuePath) -> Q:
        self.outer = node.attr_path.attr.lower()
        try:
            return self.visit(node.val_filter)
        finally:
            self.outer = None


def _user_name(lookup: str, value) -> Q:
    """A person's userName is the directory's, or their email address until the directory has named them."""
    return Q(**{f"directory_entry__user_name__{lookup}": value}) | Q(
        Q(directory_entry__isnull=True) | Q(directory_entry__user_name=""), **{f"user__email__{lookup}": value}
    )


def user_query(expression: str) -> Q:
    return _ToQuery(USER_FIELDS, {USER_SCHEMA.lower(), ENTERPRISE_SCHEMA.lower()}).visit(_parse(expression))


def group_query(expression: str) -> Q:
    return _ToQuery(GROUP_FIELDS, {GROUP_SCHEMA.lower()}).visit(_parse(expression))


def _parse(expression: str):
    try:
        return ScimFilter(expression).ast
    except InvalidFilterException:
        raise
    except ValueError as error:
        raise InvalidFilterException(detail=str(error)) from error
