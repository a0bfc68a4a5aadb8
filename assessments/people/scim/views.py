"""The /scim/v2/ endpoints. Only a bearer token opens them (no session, so no CSRF); every answer is SCIM JSON,
errors included (RFC 7644 §3.12), and a refused write changes nothing."""

import hashlib
import json
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    Context,
    Error,
    Group,
    InvalidSyntaxException,
    InvalidValueException,
    NotFoundException,
    PatchOp,
    PreconditionFailedException,
    ResponseParameters,
    SCIMException,
    SearchRequest,
    UnauthorizedException,
)

from assessments.people.scim import filters, groups, users
from assessments.people.scim.models import ScimToken
from assessments.people.scim.schemas import (
    ENTERPRISE_SCHEMA,
    MAX_RESULTS,
    resource_types,
    schemas,
    service_provider_config,
)
from pathway.text import unstorable_character

CONTENT_TYPE = "application/scim+json"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ENTERPRISE_MANAGER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"


def scim_response(data, status=200, etag=None) -> HttpResponse:
    response = HttpResponse(json.dumps(data), status=status, content_type=CONTENT_TYPE)
    if etag:
        response["ETag"] = etag
    return response


def error_response(error: SCIMException) -> HttpResponse:
    response = scim_response(error.to_error().model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="Pathway SCIM"'
    return response


def _invalid(error: ValidationError) -> SCIMException:
    """A pydantic error as the SCIM error it carries, or invalidValue with its first message."""
    for item in error.errors():
        context = item.get("ctx") or {}
        if context.get("scim_type"):
            found = SCIMException.from_error(
                Error(status=context.get("status", 400), scim_type=context["scim_type"], detail=item["msg"])
            )
            return found
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return InvalidValueException(detail=f"{where}: {first['msg']}" if where else first["msg"])


def version_of(payload: dict) -> str:
    content = {key: value for key, value in payload.items() if key != "meta"}
    return 'W/"' + hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32] + '"'


def scim_endpoint(view_class):
    """Bearer token first; SCIM errors, pydantic errors and bad JSON become SCIM error answers."""
    view = view_class.as_view()

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            request.scim_token = _token(request)
            return view(request, *args, **kwargs)
        except SCIMException as error:
            return error_response(error)
        except ValidationError as error:
            return error_response(_invalid(error))

    return csrf_exempt(login_not_required(wrapped))


def _token(request) -> ScimToken:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    token = ScimToken.holding(secret.strip()) if scheme.lower() == "bearer" and secret.strip() else None
    if token is None:
        raise UnauthorizedException(detail="A valid SCIM bearer token is needed.")
    return token


def read_json(request) -> dict:
    try:
        data = json.loads(request.body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidSyntaxException(detail=f"The body is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise InvalidSyntaxException(detail="The body must be a JSON object.")
    _refuse_unstorable(data, "")
    return data


def _refuse_unstorable(value, where: str):
    """A NUL byte or a lone surrogate anywhere in the body is refused before anything is written: no database column
    holds one (PostgreSQL refuses a NUL outright)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _refuse_unstorable(key, where)
            _refuse_unstorable(inner, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _refuse_unstorable(inner, f"{where}[{index}]")
    elif isinstance(value, str) and (found := unstorable_character(value)):
        raise InvalidValueException(detail=f"{where or 'The body'} contains {found}, which cannot be saved.")


class ScimView(View):
    http_method_names = ["get", "post", "put", "patch", "delete"]

    @property
    def base(self) -> str:
        return self.request.build_absolute_uri(reverse("scim:root")).rstrip("/")

    def http_method_not_allowed(self, request, *args, **kwargs):
        error = SCIMException(detail=f"{request.method} is not allowed here.")
        error.status = 405
        response = error_response(error)
        response["Allow"] = ", ".join(method.upper() for method in self._allowed_methods())
        return response


class ServiceProviderConfigView(ScimView):
    http_method_names = ["get"]

    def get(self, request):
        config = service_provider_config(self.base)
        return scim_response(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


class _Discovery(ScimView):
    http_method_names = ["get"]
    kind = ""

    def items(self):
        raise NotImplementedError

    def get(self, request, item_id=None):
        found = [item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for item in self.items()]
        if item_id is not None:
            for item in found:
                if item["id"] == item_id:
                    return scim_response(item)
            raise NotFoundException(detail=f"There is no {self.kind} {item_id}.")
        if request.GET.get("filter"):
            error = SCIMException(detail=f"{self.kind.capitalize()}s cannot be filtered.")
            error.status = 403
            raise error
        return scim_response(
            {
                "schemas": [LIST_SCHEMA],
                "totalResults": len(found),
                "startIndex": 1,
                "itemsPerPage": len(found),
                "Resources": found,
            }
        )


class ResourceTypesView(_Discovery):
    kind = "resource type"

    def items(self):
        return resource_types(self.base)


class SchemasView(_Discovery):
    kind = "schema"

    def items(self):
        return schemas(self.base)


class NotFoundView(ScimView):
    def dispatch(self, request, *args, **kwargs):
        raise NotFoundException(detail="There is nothing at this address.")


class UserKind:
    name = "user"
    model = users.UserResource
    # pydantic makes a class per parametrisation: made once here, not per request.
    search_request = SearchRequest[users.UserResource]
    patch_op = PatchOp[users.UserResource]
    response_parameters = ResponseParameters[users.UserResource]

    def page(self, query, start, count):
        return list(users.people().filter(query)[start : start + count])

    def count(self, query):
        return users.people().filter(query).count()

    def query(self, expression):
        return filters.user_query(expression)

    def get(self, item_id, for_update=False):
        return users.get_person(item_id, for_update=for_update)

    def to_resources(self, items, base):
        return [users.to_resource(person, base) for person in items]

    def create(self, resource, token):
        return users.create(users.Wanted.read(resource, None), token)

    def replace(self, person, resource, token, before=None):
        return users.write(person, users.Wanted.read(resource, person, before), token)

    def delete(self, person, token):
        users.remove(person, token)


class GroupKind:
    name = "group"
    model = Group
    search_request = SearchRequest[Group]
    patch_op = PatchOp[Group]
    response_parameters = ResponseParameters[Group]

    def page(self, query, start, count):
        return list(groups.groups().filter(query).distinct()[start : start + count])

    def count(self, query):
        return groups.groups().filter(query).distinct().count()

    def query(self, expression):
        return filters.group_query(expression)

    def get(self, item_id, for_update=False):
        return groups.get_group(item_id, for_update=for_update)

    def to_resources(self, items, base):
        members = groups.member_ids_of([group.pk for group in items])
        return [groups.to_resource(group, base, members[group.pk]) for group in items]

    def create(self, resource, token):
        return groups.write(None, resource, token)

    def replace(self, group, resource, token, before=None):
        return groups.write(group, resource, token)

    def delete(self, group, token):
        groups.delete(group, token)


def dump(resource, params=None, context=Context.RESOURCE_QUERY_RESPONSE) -> tuple[dict, str]:
    """The resource as JSON (only the attributes asked for), and its version (ETag) from the whole of it."""
    full = resource.model_dump(scim_ctx=context)
    version = version_of(full)
    resource.meta.version = version
    return resource.model_dump(scim_ctx=context, response_parameters=params), version


class Collection(ScimView):
    """GET: a filtered page; POST: a new resource."""

    http_method_names = ["get", "post"]
    kind = None

    def get(self, request):
        return self.search(dict(request.GET.items()))

    def post(self, request):
        data = _with_manager_refs(read_json(request), self.base)
        resource = self.kind.model.model_validate(data, scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        created = self.kind.create(resource, request.scim_token)
        data, version = dump(
            self.kind.to_resources([created], self.base)[0], context=Context.RESOURCE_CREATION_RESPONSE
        )
        response = scim_response(data, 201, etag=version)
        response["Location"] = data["meta"]["location"]
        return response

    def search(self, params: dict):
        search = self.kind.search_request.model_validate(params, scim_ctx=Context.SEARCH_REQUEST)
        query = self.kind.query(str(search.filter)) if search.filter else filters.Q()
        start = max(search.start_index or 1, 1)
        count = min(MAX_RESULTS, 100 if search.count is None else max(search.count, 0))
        total = self.kind.count(query)
        items = self.kind.page(query, start - 1, count) if count else []
        resources = [
            dump(resource, search, Context.SEARCH_RESPONSE)[0] for resource in self.kind.to_resources(items, self.base)
        ]
        return scim_response(
            {
                "schemas": [LIST_SCHEMA],
                "totalResults": total,
                "startIndex": start,
                "itemsPerPage": len(resources),
                "Resources": resources,
            }
        )


class Search(Collection):
    """POST …/.search (RFC 7644 §3.4.3): a search with its parameters in the body."""

    http_method_names = ["post"]

    def post(self, request):
        data = read_json(request)
        data.pop("schemas", None)
        return self.search(data)


class RootSearch(ScimView):
    """POST /.search: Users then Groups as one list. A filter naming what only one of them has matches none of the
    other (RFC 7644 §3.4.2.1)."""

    http_method_names = ["post"]
    kinds = ()

    def post(self, request):
        data = read_json(request)
        data.pop("schemas", None)
        expression = data.get("filter")
        start = max(int(data.get("startIndex") or 1), 1)
        count = min(MAX_RESULTS, max(int(data.get("count", 100)), 0))
        parts, refused = [], None
        for kind in self.kinds:
            try:
                query = kind.query(expression) if expression else filters.Q()
            except SCIMException as error:
                refused = error
                continue
            params = kind.response_parameters.model_validate(
                {key: data[key] for key in ("attributes", "excludedAttributes") if key in data}
            )
            parts.append((kind, query, kind.count(query), params))
        if not parts and refused is not None:
            raise refused
        resources, skip, left = [], start - 1, count
        for kind, query, total, params in parts:
            if left and skip < total:
                items = kind.page(query, skip, left)
                resources += [dump(resource, params)[0] for resource in kind.to_resources(items, self.base)]
                left -= len(items)
            skip = max(skip - total, 0)
        return scim_response(
            {
                "schemas": [LIST_SCHEMA],
                "totalResults": sum(part[2] for part in parts),
                "startIndex": start,
                "itemsPerPage": len(resources),
                "Resources": resources,
            }
        )


class Item(ScimView):
    """One resource: read, replace (PUT), change (PATCH), delete. A write checks If-Match when it is sent."""

    kind = None

    def get(self, request, item_id):
        params = self.kind.search_request.model_validate(dict(request.GET.items()), scim_ctx=Context.SEARCH_REQUEST)
        resource = self.kind.to_resources([self.kind.get(item_id)], self.base)[0]
        data, version = dump(resource, params)
        if request.headers.get("If-None-Match") == version:
            return HttpResponse(status=304, headers={"ETag": version})
        return scim_response(data, etag=version)

    def _current(self, item_id):
        item = self.kind.get(item_id, for_update=True)
        resource = self.kind.to_resources([item], self.base)[0]
        _, version = dump(resource)
        expected = self.request.headers.get("If-Match")
        if expected and expected != "*" and version not in {part.strip() for part in expected.split(",")}:
            raise PreconditionFailedException(detail="The resource changed since you read it.")
        return item, resource

    def _answer(self, item):
        data, version = dump(
            self.kind.to_resources([item], self.base)[0], context=Context.RESOURCE_REPLACEMENT_RESPONSE
        )
        return scim_response(data, etag=version)

    def put(self, request, item_id):
        with transaction.atomic():
            item, before = self._current(item_id)
            data = _with_manager_refs(read_json(request), self.base)
            resource = self.kind.model.model_validate(data, scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
            return self._answer(self.kind.replace(item, resource, request.scim_token, before))

    def patch(self, request, item_id):
        data = _with_manager_refs(read_json(request), self.base)
        with transaction.atomic():
            item, resource = self._current(item_id)
            patch = self.kind.patch_op.model_validate(data, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
            before = resource.model_copy(deep=True)
            if patch.patch(resource):
                item = self.kind.replace(item, resource, request.scim_token, before)
            return self._answer(item)

    def delete(self, request, item_id):
        with transaction.atomic():
            item, _ = self._current(item_id)
            self.kind.delete(item, request.scim_token)
        return HttpResponse(status=204)


def _with_manager_refs(data: dict, base: str) -> dict:
    """Directories send the enterprise manager as {"value": id} (Entra ID even as a bare id), where scim2-models
    wants its $ref too: read each as meant, in a resource or in PATCH operations."""

    def fixed(manager):
        if isinstance(manager, str | int):
            manager = {"value": str(manager)}
        if isinstance(manager, dict) and manager.get("value") and not manager.get("$ref"):
            manager = {**manager, "$ref": f"{base}/Users/{manager['value']}"}
        return manager

    def fix_inside(container):
        for key, value in list(container.items()):
            if key.lower() == ENTERPRISE_MANAGER.lower():
                container[key] = fixed(value)
            elif key.lower() == ENTERPRISE_SCHEMA.lower() and isinstance(value, dict) and "manager" in value:
                value["manager"] = fixed(value["manager"])

    fix_inside(data)
    for operation in data.get("Operations") or []:
        if not isinstance(operation, dict):
            continue
        path, value = str(operation.get("path") or ""), operation.get("value")
        if path.lower() == ENTERPRISE_MANAGER.lower() and value is not None:
            operation["value"] = fixed(value)
        elif path.lower() == ENTERPRISE_SCHEMA.lower() and isinstance(value, dict) and "manager" in value:
            value["manager"] = fixed(value["manager"])
        elif isinstance(value, dict):
            fix_inside(value)
    return data


def _kind(view_class, kind, name):
    return type(name, (view_class,), {"kind": kind})


users_view = scim_endpoint(_kind(Collection, UserKind(), "Users"))
users_search_view = scim_endpoint(_kind(Search, UserKind(), "UsersSearch"))
user_view = scim_endpoint(_kind(Item, UserKind(), "UserItem"))
groups_view = scim_endpoint(_kind(Collection, GroupKind(), "Groups"))
groups_search_view = scim_endpoint(_kind(Search, GroupKind(), "GroupsSearch"))
group_view = scim_endpoint(_kind(Item, GroupKind(), "GroupItem"))
search_view = scim_endpoint(type("Search", (RootSearch,), {"kinds": (UserKind(), GroupKind())}))
service_provider_config_view = scim_endpoint(ServiceProviderConfigView)
resource_types_view = scim_endpoint(ResourceTypesView)
schemas_view = scim_endpoint(SchemasView)
not_found_view = scim_endpoint(NotFoundView)
