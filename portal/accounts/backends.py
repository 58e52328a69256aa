from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """District staff hold every permission (the admin included); other roles only what they are granted."""

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if user_obj.is_active and getattr(user_obj, "is_district_staff", False):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        if user_obj.is_active and getattr(user_obj, "is_district_staff", False):
            return True
        return super().has_module_perms(user_obj, app_label)
