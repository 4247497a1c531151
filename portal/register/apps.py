from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "portal.register"
    label = "register"
    verbose_name = "Register"
