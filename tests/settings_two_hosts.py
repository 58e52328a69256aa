"""The production profile for tests/portal/test_two_hosts.py, but for two things. Static files are served from
the source folders (WhiteNoise's finders) instead of collectstatic's compressed manifest, which takes
two minutes to build on CI's two cores and is not what the test is about; and the passwords of the
users the test made are checked with the test profile's hasher too."""

from django.conf import global_settings

from portal.settings.production import *  # noqa: F403
from portal.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# The test database's users were made under the test profile's fast hasher: verify those too.
PASSWORD_HASHERS = [
    *global_settings.PASSWORD_HASHERS,
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
