"""`@step(...)`: an API write step (`POST …/{id}/<name>/`) declared once, its schema with it.

A step reads the record (`get_object()`, so scope and `can_change` answer 404/403 first), checks the
body with its `input` serializer, runs the method (which calls one action; the action's
ValidationError becomes a 400, its PermissionDenied a 403) and answers with `respond()` in `output`.
"""

import functools

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from portal.api.openapi import ValidationErrorResponseSerializer
from portal.api.viewsets import refusals_as_api_errors

# What a write answers when it refuses, beside the 401/403/404 the schema class adds to every operation.
WRITE_ERRORS = {400: ValidationErrorResponseSerializer}

_UNSET = object()


def write_schema(output, *, status=200, request=_UNSET, many=False, **kwargs):
    """The `extend_schema` of a write: `request`, `output` under `status`, and the shared 400."""
    if request is not _UNSET:
        kwargs["request"] = request
    response = output(many=True) if many else output
    return extend_schema(responses={status: response, **WRITE_ERRORS}, **kwargs)


def step(
    *,
    input=None,
    output,
    status=200,
    many=False,
    detail=True,
    methods=("post",),
    before=None,
    request=_UNSET,
    handler_errors=False,
    **action_kwargs,
):
    """Make `def name(self, request, obj, **data)` (no `obj` when `detail=False`) an API step.

    `input`: the body's serializer (None: no body); its validated data are the method's keywords.
    `output`: the answer's serializer (`many` for a list, unpaginated), sent with `status` (200 or 201).
    `before(self, request, obj)`: a check that runs before the body is validated.
    `request`: the body in the schema when it is not `input` (another media type).
    `handler_errors`: leave the action's refusals to the API's exception handler, which keeps the
    codes of a ValidationError (`unique` …) where `run_action()` answers `invalid`.
    The rest (`url_path`, `parser_classes` …) goes to DRF's `@action`.
    """

    if many:
        # The answer is the whole list, never a page: so the schema says too.
        action_kwargs.setdefault("pagination_class", None)

    def decorate(method):
        @functools.wraps(method)
        def endpoint(self, request, *args, **kwargs):
            target = (self.get_object(),) if detail else ()
            if before is not None:
                before(self, request, *target)
            data = {}
            if input is not None:
                params = input(data=request.data, context=self.get_serializer_context())
                params.is_valid(raise_exception=True)
                data = dict(params.validated_data)
            if handler_errors:
                result = method(self, request, *target, **data)
            else:
                with refusals_as_api_errors():
                    result = method(self, request, *target, **data)
            return self.respond(result, output, status=status, many=many)

        endpoint = action(detail=detail, methods=list(methods), **action_kwargs)(endpoint)
        schema = {"request": input if request is _UNSET else request, "filters": False}
        return write_schema(output, status=status, many=many, **schema)(endpoint)

    return decorate
