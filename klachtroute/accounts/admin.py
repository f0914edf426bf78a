from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, RoleChange, User, user_role_flags
from .services import api_token_revoke, user_roles_record


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "role_list")
    list_filter = (
        "is_active",
        "is_secretariat",
        "is_trainer",
        "is_staff_member",
        "is_director",
        "is_exam_committee",
        "is_administrator",
    )
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Rollen"),
            {
                "fields": (
                    "is_secretariat",
                    "is_trainer",
                    "is_staff_member",
                    "is_director",
                    "is_exam_committee",
                    "is_administrator",
                    "phone",
                    "preferred_language",
                )
            },
        ),
    )

    @admin.display(description=_("rollen"))
    def role_list(self, obj: User) -> str:
        return ", ".join(obj.roles)

    def save_model(self, request, obj, form, change):
        # Every change of roles is recorded (who, when, before, after) and mailed.
        before = user_role_flags(User.objects.get(pk=obj.pk)) if change else []
        super().save_model(request, obj, form, change)
        user_roles_record(person=obj, before=before, actor=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see and revoke tokens; they cannot make one: a token made for
    someone else would let its maker act as that person. Owners make their own on
    /account/ (the operator: `manage.py api_token`)."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Geselecteerde tokens intrekken"))
    def revoke(self, request, queryset):
        revoked = sum(api_token_revoke(token=t, actor=request.user) for t in queryset)
        self.message_user(request, _("%(n)s token(s) ingetrokken.") % {"n": revoked})


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "person", "changed_by", "before", "after", "self_granted")
    list_filter = ("self_granted",)
    readonly_fields = ("person", "changed_by", "at", "before", "after", "self_granted")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
