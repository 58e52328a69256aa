"""Uploaded images, served by the portal itself so that no upload can run as a page.

Only image files under a prefix that an app has registered (`serve_media("activities/", check)`,
in its `AppConfig.ready`) are served here, to signed-in users (a browser session or an API token)
for whom the app's `check(user, path)` says yes, and the photos a user has uploaded but not yet
submitted (`pending/<their id>/`, the activity form's previews) to that user alone. The check is the
same scope as the record the file belongs to: a link kept or forwarded opens nothing that its holder
may not read. Demand attachments and report files have their own views with their own permissions.
Each answer names its image type from the file's extension (the upload was checked by content),
forbids sniffing another type, and carries a Content-Security-Policy that sandboxes it, so that even
a file that got past the checks cannot run script in the portal's origin. With object storage the
answer is a short-lived redirect to the bucket instead (`portal.core.files.file_response`): another
origin, told to answer with the image's type.
"""

from collections.abc import Callable
from pathlib import PurePosixPath

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse

from portal.core.files import Stored, file_response

# prefix → check(user, path): whether the user may read the record the file belongs to
_READERS: dict[str, Callable[..., bool]] = {}
PENDING_PREFIX = "pending"
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
# on the portal's own answer (a stream, or nginx's through X-Accel-Redirect)
IMAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, max-age=86400",
}


def serve_media(prefix: str, check: Callable[..., bool]) -> None:
    """Serve images under `prefix` (e.g. `"activities/"`) to the users for whom `check(user, path)` holds."""
    _READERS[prefix] = check


def _reader(path: str) -> Callable[..., bool] | None:
    return next((check for prefix, check in _READERS.items() if path.startswith(prefix)), None)


def _may_see(user, path: str) -> bool:
    check = _reader(path)
    if check is not None:
        return check(user, path)
    # pending/<user id>/<token>: the uploader's own previews
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == PENDING_PREFIX and parts[1] == str(user.pk)


def media(request, path: str) -> HttpResponse:
    suffix = PurePosixPath(path).suffix.lower()
    if suffix not in IMAGE_TYPES or ".." in path:
        raise Http404
    if _reader(path) is None and not path.startswith(f"{PENDING_PREFIX}/"):
        raise Http404
    user = request.user  # a session's or, by ApiTokenPageMiddleware, an API token's
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _may_see(user, path):
        raise Http404
    try:
        return file_response(
            Stored(default_storage, path),
            filename=PurePosixPath(path).name,
            as_attachment=False,
            content_type=IMAGE_TYPES[suffix],
            headers=IMAGE_HEADERS,
        )
    except (SuspiciousFileOperation, OSError) as exc:
        raise Http404 from exc
