from rest_framework import viewsets

from portal.core.scoping import CHANGE, VIEW


class ScopedViewSetMixin:
    """Lists and detail lookups only ever see what the user's scope allows."""

    anonymous_read = False

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)

    def can_create(self, user) -> bool:
        return user.is_district_staff

    def can_change(self, user, obj) -> bool:
        model = type(obj)
        return model._default_manager.restrict(user, CHANGE).filter(pk=obj.pk).exists()


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


class ScopedReadOnlyModelViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
