"""The S3-compatible object storage of uploads (MinIO on the intranet, or AWS S3): `STORAGE_BACKEND=s3`.

django-storages' `S3Storage` on a private bucket, with one change: `url()` names the portal's own
address of the file (`MEDIA_URL` + name, as `FileSystemStorage` does), so that pages and the API
keep linking to the views that check who asks, and never hand out a link to the bucket. Those
views then answer with `signed_url()`: a presigned GET (AWS Signature Version 4, as boto3 makes
it) that lives `querystring_expire` seconds (`AWS_QUERYSTRING_EXPIRE`), see `portal.core.files`.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PortalS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        """The portal's address of the file (its view checks who asks); see `signed_url` for the bucket's."""
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

    def signed_url(self, name: str, *, parameters: dict | None = None) -> str:
        """A presigned GET of `name` that expires after `querystring_expire` seconds.

        `parameters` are the GetObject overrides that the bucket answers with, as
        `ResponseContentType` and `ResponseContentDisposition`.
        """
        return super().url(name, parameters=parameters)
