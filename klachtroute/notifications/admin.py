"""The outbox in Django's admin: read-only, for looking things up.

An administrator configures and does not read complaints: without sight of a message's
complaint they see its kind, status and dates, not its address, subject, text or error
(see docs/permissions.md, "Messages and administrators").
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from .models import MessageTemplate, OutboxMessage
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


# The organisation's own message texts, per procedure and language.
EMAIL_TEMPLATE_DIR = settings.BASE_DIR / "templates" / "notifications" / "email"


def message_keys() -> list[str]:
    return sorted(p.stem for p in EMAIL_TEMPLATE_DIR.glob("*.txt"))


def default_text(key: str) -> tuple[str, str]:
    """The product's default subject and body of a message, as editable template text."""
    source = (EMAIL_TEMPLATE_DIR / f"{key}.txt").read_text(encoding="utf-8")
    source = source.replace("{% load i18n %}", "").replace("{% autoescape off %}", "")
    source = source.replace("{% endautoescape %}", "")
    subject, _sep, body = source.strip().partition("\n")
    return subject.strip(), body.strip()


class MessageTemplateForm(forms.ModelForm):
    key = forms.ChoiceField(label=_("bericht"))

    class Meta:
        model = MessageTemplate
        fields = ["procedure", "key", "language", "subject", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(k, k) for k in message_keys()]
        self.fields["subject"].required = False
        self.fields["body"].required = False
        self.fields["body"].help_text = (
            str(self.fields["body"].help_text)
            + " "
            + str(_("Laat onderwerp en tekst leeg om met de standaardtekst te beginnen."))
        )

    def clean(self):
        data = super().clean()
        key = data.get("key")
        if key and not (data.get("subject") or "").strip() and not (data.get("body") or "").strip():
            data["subject"], data["body"] = default_text(key)
        for field in ("subject", "body"):
            value = data.get(field) or ""
            if not value.strip():
                self.add_error(field, _("Dit veld is verplicht."))
                continue
            try:
                Template("{% load i18n %}" + value)
            except TemplateSyntaxError as exc:
                self.add_error(field, _("De tekst bevat een fout: %(error)s") % {"error": exc})
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ("procedure", "key", "language", "subject", "updated_at")
    list_filter = ("procedure", "language", "key")
    search_fields = ("subject", "body")
