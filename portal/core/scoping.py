"""The one place where a queryset is cut down to what a user may see or change.

Every model that a user reads through a page or the API has a queryset class derived from
`ScopedQuerySet`; views and viewsets call `Model.objects.restrict(user, action)` (through
`ScopedViewMixin` and `ScopedViewSetMixin`) and never filter by role themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.accounts.models import User

Action = Literal["view", "change"]
VIEW: Action = "view"
CHANGE: Action = "change"


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user: User | AnonymousUser | None, action: Action = VIEW) -> ScopedQuerySet:
        """The rows that `user` may `view` or `change`."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.scope_anonymous(action)
        if user.is_district_staff:
            return self
        return self.scope_for(user, action)

    def scope_for(self, user: User, action: Action) -> ScopedQuerySet:
        """Rows for a signed-in user who is not district staff; models override this."""
        return self.none()

    def scope_anonymous(self, action: Action) -> ScopedQuerySet:
        """Rows for a visitor who is not signed in; models with public data override this."""
        return self.none()
