"""The outbox in Django's admin: read-only, for looking things up.

An administrator configures and does not read complaints: without sight of a message's
complaint they see its kind, status and dates, not its address, subject, text or error
(see docs/permissions.md, "Messages and administrators").
"""

from django.contrib import admin

from .models import OutboxMessage
from .selectors import user_may_read_message

PERSONAL_FIELDS = ("to", "recipient_name", "postal_address", "subject", "body", "last_error")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to", "subject", "complaint", "status", "attempts", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("to", "subject", "complaint__number")
    date_hierarchy = "created_at"
    list_select_related = ("complaint",)
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    @staticmethod
    def _reads_all(request) -> bool:
        return bool(request.user.sees_all_complaints)

    def get_list_display(self, request):
        if self._reads_all(request):
            return self.list_display
        return ("created_at", "kind", "complaint", "status", "attempts", "sent_at")

    def get_search_fields(self, request):
        # Searching by address would tell whether someone complained.
        return self.search_fields if self._reads_all(request) else ("complaint__number",)

    def get_fields(self, request, obj=None):
        fields = [field.name for field in OutboxMessage._meta.fields]
        if obj is not None and user_may_read_message(request.user, obj):
            return fields
        return [name for name in fields if name not in PERSONAL_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
