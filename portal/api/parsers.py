"""The API's JSON parser: bounded in size and nesting depth, so that a hostile body is a 400, not a 500."""

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

# A JSON string literal (escapes included): brackets inside one do not nest anything.
STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")


def nesting_depth(text: str, limit: int) -> int:
    """How deep `text`'s arrays and objects nest, counting up to the first level past `limit`."""
    depth = deepest = 0
    for bracket in NOT_A_BRACKET.sub("", STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    """JSONParser that refuses bodies larger than API_JSON_MAX_BYTES or nested deeper than
    API_JSON_MAX_DEPTH with ParseError (400 `parse_error`) before json.loads sees them.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE guards `request.body` only; DRF reads the stream itself.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        max_bytes = settings.API_JSON_MAX_BYTES
        max_depth = settings.API_JSON_MAX_DEPTH
        body = stream.read(max_bytes + 1)
        if len(body) > max_bytes:
            raise ParseError(
                _("The JSON body is larger than %(limit)d bytes.") % {"limit": max_bytes}
            )
        try:
            text = body.decode(get_encoding(parser_context))
        except UnicodeError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
        if nesting_depth(text, max_depth) > max_depth:
            raise ParseError(
                _("The JSON body nests deeper than %(limit)d levels.") % {"limit": max_depth}
            )
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
