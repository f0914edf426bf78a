from django.contrib import admin

from .models import Procedure, ProcedureVersion


class ProcedureVersionInline(admin.TabularInline):
    model = ProcedureVersion
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    inlines = [ProcedureVersionInline]
