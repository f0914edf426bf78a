"""`{% rows_chart %}`: a report table's rows as a server-drawn SVG bar chart."""

from django import template

from klachtroute.reports.charts import bar_chart

register = template.Library()


@register.simple_tag
def rows_chart(title, rows, chart_id, unit=""):
    return bar_chart(
        title=str(title),
        rows=[(row.label, row.value) for row in rows],
        unit=unit,
        chart_id=chart_id,
    )
