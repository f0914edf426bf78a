from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, raw = ApiToken.objects.create_token(user=obj.user, name=obj.name)
        obj.pk = token.pk
        self.message_user(
            request,
            _("Het token is: %(token)s — kopieer het nu; het wordt niet nog eens getoond.")
            % {"token": raw},
        )
