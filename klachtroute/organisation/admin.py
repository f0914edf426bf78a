from django.contrib import admin

from .models import ClosingDay, Course, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "active_procedure", "auto_assign")

    def has_add_permission(self, request):
        return not Organisation.objects.exists()


@admin.register(ClosingDay)
class ClosingDayAdmin(admin.ModelAdmin):
    list_display = ("date", "description")


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    filter_horizontal = ("trainers",)
