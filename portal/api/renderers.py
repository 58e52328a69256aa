"""Renderers for answers that are files: the view hands over the bytes (or a FileResponse) as they are."""

from rest_framework.renderers import BaseRenderer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS = "text/calendar"
OCTET = "application/octet-stream"


class PassThroughRenderer(BaseRenderer):
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class XlsxRenderer(PassThroughRenderer):
    media_type = XLSX
    format = "xlsx"


class IcsRenderer(PassThroughRenderer):
    media_type = ICS
    format = "ics"


class OctetStreamRenderer(PassThroughRenderer):
    media_type = OCTET
    format = "bin"
