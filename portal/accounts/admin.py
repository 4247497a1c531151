from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("Rolle", {"fields": ("role", "county", "language")})]
    list_display = ["username", "email", "role", "county", "is_active"]
    list_filter = ["role", "county", "is_active"]
