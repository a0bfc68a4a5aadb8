"""What the service publishes about itself (RFC 7643 §5-7): its configuration, resource types and schemas.

The schemas are scim2-models' standard ones cut down to the attributes Pathway keeps, so a client never
writes an attribute that would silently vanish.
"""

from functools import lru_cache

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    Meta,
    Patch,
    Required,
    ResourceType,
    Schema,
    SchemaExtension,
    ServiceProviderConfig,
    Sort,
    User,
)
from scim2_models.resources.service_provider_config import Pagination

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
MAX_RESULTS = 200

# Attribute → the sub-attributes kept (None: a simple attribute).
KEPT = {
    USER_SCHEMA: {
        "userName": None,
        "name": {"formatted", "givenName", "familyName"},
        "displayName": None,
        "title": None,
        "userType": None,
        "active": None,
        "emails": {"value", "type", "primary"},
    },
    ENTERPRISE_SCHEMA: {"department": None, "manager": {"value", "$ref"}},
    GROUP_SCHEMA: {"displayName": None, "members": {"value", "$ref", "type"}},
}


def _cut(schema: Schema) -> Schema:
    kept = KEPT[schema.id]
    attributes = []
    for attribute in schema.attributes:
        if attribute.name not in kept:
            continue
        subs = kept[attribute.name]
        if subs is not None and attribute.sub_attributes:
            attribute.sub_attributes = [sub for sub in attribute.sub_attributes if sub.name in subs]
        if schema.id == USER_SCHEMA and attribute.name == "emails":
            # The account needs an address: every user comes with one.
            attribute.required = Required.true
            for sub in attribute.sub_attributes:
                sub.required = Required.true if sub.name == "value" else sub.required
        if schema.id == USER_SCHEMA and attribute.name == "active":
            # A directory always says whether someone can sign in (a POST without it is read as active).
            attribute.required = Required.true
        attributes.append(attribute)
    schema.attributes = attributes
    return schema


@lru_cache(maxsize=8)  # per base URL: the description never changes while the process runs
def schemas(base: str) -> list[Schema]:
    found = []
    for model in (User, EnterpriseUser, Group):
        schema = _cut(model.to_schema())
        schema.meta = Meta(resource_type="Schema", location=f"{base}/Schemas/{schema.id}")
        found.append(schema)
    return found


@lru_cache(maxsize=8)  # per base URL: the description never changes while the process runs
def resource_types(base: str) -> list[ResourceType]:
    return [
        ResourceType(
            id="User",
            name="User",
            description="A person in Pathway, with their account",
            endpoint="/Users",
            schema_=USER_SCHEMA,
            schema_extensions=[SchemaExtension(schema_=ENTERPRISE_SCHEMA, required=False)],
            meta=Meta(resource_type="ResourceType", location=f"{base}/ResourceTypes/User"),
        ),
        ResourceType(
            id="Group",
            name="Group",
            description="A directory group; members of the one named HR admins are HR admins in Pathway",
            endpoint="/Groups",
            schema_=GROUP_SCHEMA,
            meta=Meta(resource_type="ResourceType", location=f"{base}/ResourceTypes/Group"),
        ),
    ]


@lru_cache(maxsize=8)  # per base URL: the description never changes while the process runs
def service_provider_config(base: str) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=True),
        pagination=Pagination(cursor=False, index=True, default_page_size=100, max_page_size=MAX_RESULTS),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A token made by `python manage.py create_scim_token NAME`",
                primary=True,
            )
        ],
        meta=Meta(resource_type="ServiceProviderConfig", location=f"{base}/ServiceProviderConfig"),
    )
