"""The annual report (LSR-8a, LSR-3), the trainers' review (LSR-8b) and the compliance
overview, with exports.

Only the director and the secretariat see them: the report counts every complaint, so it
is for the people who oversee every complaint (`User.sees_all_complaints`).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from klachtroute.organisation.selectors import active_version_in_force, organisation_get

from .compliance import compliance_overview
from .exports import compliance_csv as compliance_csv_bytes
from .exports import pdf_render, report_csv, report_xlsx
from .forms import PeriodForm, previous_year, quick_periods, year_to_date
from .selectors import annual_report, trainers_review, yearly_register

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_access_required(view):
    @login_required
    @require_GET
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        user = request.user
        if not (user.is_active and (user.is_director or user.is_secretariat)):
            raise PermissionDenied(
                _("Alleen de directeur en het secretariaat zien het jaarverslag.")
            )
        return view(request, *args, **kwargs)

    return wrapped


def _period_or_400(request: HttpRequest, default=previous_year):
    form = PeriodForm(request.GET, default=default)
    period = form.period()
    if period is None:
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        return None, HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    return period, None


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _name(prefix: str, start, end, extension: str) -> str:
    return f"{prefix}-{start:%Y%m%d}-{end:%Y%m%d}.{extension}"


@report_access_required
def annual(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    period = form.period()
    report = annual_report(start=period[0], end=period[1]) if period else None
    query = f"start={period[0]:%Y-%m-%d}&end={period[1]:%Y-%m-%d}" if period else ""
    version = active_version_in_force(on=timezone.localdate())
    return render(
        request,
        "reports/annual.html",
        {
            "form": form,
            "report": report,
            "query": query,
            "generated_at": timezone.now(),
            "register_kept": bool(version and version.spec.yearly_register),
        },
    )


@report_access_required
def annual_csv(request: HttpRequest) -> HttpResponse:
    period, error = _period_or_400(request)
    if error:
        return error
    report = annual_report(start=period[0], end=period[1])
    return _download(
        report_csv(report), "text/csv; charset=utf-8", _name("jaarverslag", *period, "csv")
    )


@report_access_required
def annual_xlsx(request: HttpRequest) -> HttpResponse:
    period, error = _period_or_400(request)
    if error:
        return error
    report = annual_report(start=period[0], end=period[1])
    return _download(report_xlsx(report), XLSX_TYPE, _name("jaarverslag", *period, "xlsx"))


@report_access_required
def annual_pdf(request: HttpRequest) -> HttpResponse:
    period, error = _period_or_400(request)
    if error:
        return error
    report = annual_report(start=period[0], end=period[1])
    pdf = pdf_render(
        "reports/annual_pdf.html",
        {"report": report, "organisation": organisation_get(), "generated_at": timezone.now()},
    )
    return _download(pdf, "application/pdf", _name("jaarverslag", *period, "pdf"))


@report_access_required
def trainers(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    period = form.period()
    review = trainers_review(start=period[0], end=period[1]) if period else None
    query = f"start={period[0]:%Y-%m-%d}&end={period[1]:%Y-%m-%d}" if period else ""
    return render(
        request,
        "reports/trainers.html",
        {"form": form, "review": review, "query": query},
    )


@report_access_required
def trainers_pdf(request: HttpRequest) -> HttpResponse:
    period, error = _period_or_400(request)
    if error:
        return error
    review = trainers_review(start=period[0], end=period[1])
    pdf = pdf_render(
        "reports/trainers_pdf.html",
        {"review": review, "organisation": organisation_get()},
    )
    return _download(
        pdf, "application/pdf", _name("trainersoverzicht", review.start, review.end, "pdf")
    )


def _register_year(request: HttpRequest) -> int:
    """The year asked for (default: last year). The annual report offers the register where
    the procedure asks for one; it can be made for any procedure."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year - 1)
    except ValueError:
        year = this_year - 1
    return min(max(year, 2000), this_year)


@report_access_required
def register(request: HttpRequest) -> HttpResponse:
    """The anonymised yearly register of written complaints (AWB-9:12a), ready to publish."""
    year = _register_year(request)
    this_year = timezone.localdate().year
    return render(
        request,
        "reports/register.html",
        {
            "register": yearly_register(year=year),
            "years": range(this_year, this_year - 6, -1),
            "organisation": organisation_get(),
        },
    )


@report_access_required
@report_access_required
def compliance(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET, default=year_to_date)
    period = form.period()
    overview = (
        compliance_overview(user=request.user, start=period[0], end=period[1]) if period else None
    )
    query = f"start={period[0]:%Y-%m-%d}&end={period[1]:%Y-%m-%d}" if period else ""
    quick = [
        {
            "label": label,
            "query": f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
            "current": period == (start, end),
        }
        for label, start, end in quick_periods()
    ]
    return render(
        request,
        "reports/compliance.html",
        {
            "form": form,
            "overview": overview,
            "query": query,
            "quick": quick,
            "generated_at": timezone.now(),
        },
    )


@report_access_required
def register_pdf(request: HttpRequest) -> HttpResponse:
    year = _register_year(request)
    pdf = pdf_render(
        "reports/register_pdf.html",
        {"register": yearly_register(year=year), "organisation": organisation_get()},
    )
    return _download(pdf, "application/pdf", f"klachtenregister-{year}.pdf")


@report_access_required
def compliance_csv(request: HttpRequest) -> HttpResponse:
    period, error = _period_or_400(request, default=year_to_date)
    if error:
        return error
    overview = compliance_overview(user=request.user, start=period[0], end=period[1])
    return _download(
        compliance_csv_bytes(overview),
        "text/csv; charset=utf-8",
        _name("naleving", *period, "csv"),
    )


@report_access_required
def compliance_pdf(request: HttpRequest) -> HttpResponse:
    period, error = _period_or_400(request, default=year_to_date)
    if error:
        return error
    overview = compliance_overview(user=request.user, start=period[0], end=period[1])
    pdf = pdf_render(
        "reports/compliance_pdf.html",
        {"overview": overview, "organisation": organisation_get(), "generated_at": timezone.now()},
    )
    return _download(pdf, "application/pdf", _name("naleving", *period, "pdf"))
