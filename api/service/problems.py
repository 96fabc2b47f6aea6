"""Refused requests in words that say what to send instead, read off the app's OpenAPI schema.

FastAPI's own messages name a character offset ("9: JSON decode error") or the bound a check
failed; a user needs the line and column, the schema the body should follow, the range a
number must lie in. Each function takes what the validation error holds and the request's
operation in the schema.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.routing import compile_path

from api.service.routers.concordance import DATE_MESSAGE, DATE_PATTERN
from api.service.schemas import PATTERN_MESSAGES


def describe(request: Request, operation: dict[str, Any], problem: Any, body: Any) -> str:
    """One validation problem as ``where: what``, in words that say what to send instead."""
    loc = tuple(problem.get("loc", ()))
    kind = problem.get("type")
    if kind == "json_invalid":  # FastAPI's own parse: the position is a character offset
        where = _line_and_column(body, loc[-1]) if isinstance(body, str) else ""
        reason = str((problem.get("ctx") or {}).get("error", "")).removesuffix(" at")
        return f"the body is not valid JSON: {reason}{where}; {what_to_send(request, operation)}"
    if loc == ("body",) and kind == "missing":
        return f"the request has no body; {what_to_send(request, operation)}"
    if loc == ("body",) and kind in _NOT_AN_OBJECT:
        sent = problem.get("input")
        if isinstance(sent, bytes):  # not parsed: the content type does not say JSON
            kind_sent = request.headers.get("content-type") or "no Content-Type"
            send = what_to_send(request, operation)
            return f"the body was sent with {kind_sent}, not as JSON; {send}"
        sent_as = _JSON_KINDS.get(type(sent), "a JSON number")
        return f"the body is {sent_as}, not a JSON object; {what_to_send(request, operation)}"
    where = ".".join(str(p) for p in loc if p != "body") or "body"
    message = problem.get("msg", "invalid")
    if kind == "extra_forbidden":
        message = f"is not a field this request takes; {what_to_send(request, operation)}"
    elif kind == "string_pattern_mismatch":
        pattern = str((problem.get("ctx") or {}).get("pattern", ""))
        message = _PATTERN_MESSAGES.get(pattern, message)
    elif kind in _NOT_A_NUMBER and len(loc) == 2:
        message = _number_wanted(operation, loc, problem.get("input")) or message
    return f"{where}: {message}"


_PATTERN_MESSAGES = {**PATTERN_MESSAGES, DATE_PATTERN: DATE_MESSAGE}
_NOT_AN_OBJECT = frozenset({"model_attributes_type", "model_type", "dict_type"})
_JSON_KINDS = {
    list: "a JSON array",
    str: "a JSON string",
    bool: "JSON true or false",
    type(None): "JSON null",
}
_NOT_A_NUMBER = frozenset(
    {
        *("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"),
        *("finite_number", "greater_than", "greater_than_equal", "less_than", "less_than_equal"),
    }
)


def _line_and_column(text: str, position: object) -> str:
    if not isinstance(position, int) or not 0 <= position <= len(text):
        return ""
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    return f" at line {line} column {column}"


def what_to_send(request: Request, operation: dict[str, Any]) -> str:
    """What the body should be: the operation's JSON schema, named, with its fields."""
    content = operation.get("requestBody", {}).get("content", {})
    ref = str(content.get("application/json", {}).get("schema", {}).get("$ref", ""))
    name = ref.rpartition("/")[2]
    schema = request.app.openapi().get("components", {}).get("schemas", {}).get(name, {})
    required = set(schema.get("required", ()))
    fields = [f"{f} (required)" if f in required else f for f in schema.get("properties", {})]
    described = f" with {', '.join(fields)}, as {name} in /docs describes" if fields else ""
    return f"send a JSON object{described}, with the header Content-Type: application/json"


def _number_wanted(operation: dict[str, Any], loc: tuple[Any, ...], sent: object) -> str | None:
    """``must be a number from 0 to 1 (got 'nan')`` for a query or path parameter with
    both bounds in the schema (pydantic's own message names only the bound it checked,
    and ``nan`` fails the upper one); ``None`` for any other."""
    found = (p for p in operation.get("parameters", ()) if (p["in"], p["name"]) == loc)
    schema: dict[str, Any] = next((p.get("schema", {}) for p in found), {})
    shape = next((s for s in (schema, *schema.get("anyOf", ())) if "maximum" in s), schema)
    if "minimum" not in shape or "maximum" not in shape:
        return None
    number = "a whole number" if shape.get("type") == "integer" else "a number"
    low, high = (_plain(shape[bound]) for bound in ("minimum", "maximum"))
    return f"must be {number} from {low} to {high} (got {sent!r})"


def _plain(bound: Any) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _path_operations(request: Request) -> list[dict[str, Any]]:
    """The OpenAPI operations of every path template this request's path matches."""
    paths = request.app.openapi().get("paths", {})
    return [
        operations
        for template, operations in paths.items()
        if compile_path(template)[0].match(request.url.path)
    ]


def operation_of(request: Request) -> dict[str, Any]:
    """This request's operation in the app's OpenAPI schema; ``{}`` for one not in it."""
    method = request.method.lower()
    found = (ops.get(method) for ops in _path_operations(request))
    return next((op for op in found if isinstance(op, dict)), {})


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this path: the router's 405 names only the first
    route's (``GET`` for ``/api/terms``, which also takes ``POST``). ``HeadAsGet`` answers
    a HEAD wherever a GET is taken."""
    methods = {verb.upper() for operations in _path_operations(request) for verb in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)
