from rest_framework.permissions import SAFE_METHODS, BasePermission


class ScopedPermission(BasePermission):
    """Reads need a signed-in user unless the view is public; writes ask the view, which asks the scope."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return getattr(view, "anonymous_read", False) or request.user.is_authenticated
        if not (request.user.is_authenticated and request.user.is_active):
            return False
        if getattr(view, "action", None) == "create":
            return view.can_create(request.user)
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return view.can_change(request.user, obj)
