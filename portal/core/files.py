"""The answer to a permitted download of an uploaded file, whatever storage keeps it.

Every view that hands out an upload (activity photos in `portal.core.media`, demand attachments on
the page and in the API, report files) checks who asks first, then returns `file_response(...)`:

- object storage (`STORAGE_BACKEND=s3`, `portal.core.s3.PortalS3Storage`): a 302 to a presigned
  GET of the private bucket that expires after `AWS_QUERYSTRING_EXPIRE` seconds, asking the bucket
  to answer with the file's type and, for downloads, its `Content-Disposition` (the file name);
- the file system with `MEDIA_ACCEL_REDIRECT` set (`/protected/`, an nginx `internal` location
  over `MEDIA_ROOT`): an empty answer with `X-Accel-Redirect`, and nginx sends the file;
- otherwise the portal streams the file itself.

A file that is not in the storage raises `FileNotFoundError` (the views answer 404).
"""

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header


class StoredFile(Protocol):
    storage: Storage
    name: str


@dataclass
class Stored:
    """A file named in a storage, for a caller that has no model field (as `StoredFile`)."""

    storage: Storage
    name: str


def file_response(
    stored: StoredFile,
    *,
    filename: str,
    as_attachment: bool,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """The file `stored` (a model's FieldFile, or `Stored(storage, name)`) for a user who may read it.

    `filename` is the name the download keeps; `headers` are added to the portal's own answer
    (the stream or the X-Accel-Redirect), e.g. a sandboxing Content-Security-Policy.
    """
    storage, name = stored.storage, stored.name
    disposition = content_disposition_header(as_attachment, filename)
    signed_url = getattr(storage, "signed_url", None)
    if signed_url is not None:
        if not storage.exists(name):
            raise FileNotFoundError(name)
        parameters = {"ResponseContentType": content_type}
        if disposition:
            parameters["ResponseContentDisposition"] = disposition
        response = HttpResponseRedirect(signed_url(name, parameters=parameters))
        # the address lives a minute: neither the browser nor a proxy may keep the redirect
        response["Cache-Control"] = "private, no-store"
        return response
    if settings.MEDIA_ACCEL_REDIRECT:
        if not storage.exists(name):
            raise FileNotFoundError(name)
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + quote(name)
        if disposition:
            response["Content-Disposition"] = disposition
    else:
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    for header, value in (headers or {}).items():
        response[header] = value
    return response
