"""The secretariat exports what the system holds about one person (AVG art. 15)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from . import person_export as export

User = get_user_model()


class PersonExportForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres van de klager"),
        required=False,
        help_text=gettext_lazy("Alle klachten met dit e-mailadres."),
    )
    name = forms.CharField(
        label=gettext_lazy("Naam van de klager"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Precies zoals geregistreerd (hoofdletters maken niet uit)."),
    )
    user = forms.ModelChoiceField(
        label=gettext_lazy("Of: een beklaagde of medewerker met een account"),
        queryset=User.objects.order_by("first_name", "last_name", "username"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        given = [bool(data.get("email") or data.get("name")), bool(data.get("user"))]
        if not any(given):
            raise forms.ValidationError(_("Vul een e-mailadres of naam in, of kies een account."))
        if all(given):
            raise forms.ValidationError(
                _("Kies een klager (e-mailadres of naam) óf een account, niet beide.")
            )
        return data

    def query(self) -> export.PersonQuery:
        user = self.cleaned_data.get("user")
        return export.PersonQuery(
            email=self.cleaned_data.get("email") or "",
            name=(self.cleaned_data.get("name") or "").strip(),
            user_id=user.pk if user else None,
        )


def _secretariat_only(request: HttpRequest) -> None:
    if not (request.user.is_active and request.user.is_secretariat):
        raise PermissionDenied


def _export_or_404(request: HttpRequest) -> tuple[PersonExportForm, dict]:
    form = PersonExportForm(request.GET)
    if not form.is_valid():
        raise Http404(_("Geef aan over wie de gegevens gaan."))
    data = export.person_export(form.query())
    if data is None:
        raise Http404(_("Dit account bestaat niet."))
    return form, data


def _filename(form: PersonExportForm, extension: str) -> str:
    query = form.query()
    who = slugify(query.email or query.name or f"account-{query.user_id}")[:60] or "persoon"
    return f"persoonsgegevens-{who}.{extension}"


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def person_export_page(request: HttpRequest) -> HttpResponse:
    _secretariat_only(request)
    form = PersonExportForm(request.GET or None)
    data = None
    if form.is_bound and form.is_valid():
        data = export.person_export(form.query())
    return render(
        request,
        "cases/person_export/search.html",
        {
            "form": form,
            "data": data,
            "querystring": request.GET.urlencode() if data is not None else "",
        },
    )


@login_required
@require_GET
def person_export_json_view(request: HttpRequest) -> HttpResponse:
    _secretariat_only(request)
    form, data = _export_or_404(request)
    return _download(
        export.person_export_json(data),
        filename=_filename(form, "json"),
        content_type="application/json; charset=utf-8",
    )


@login_required
@require_GET
def person_export_pdf_view(request: HttpRequest) -> HttpResponse:
    _secretariat_only(request)
    form, data = _export_or_404(request)
    return _download(
        export.person_export_pdf(data),
        filename=_filename(form, "pdf"),
        content_type="application/pdf",
    )
