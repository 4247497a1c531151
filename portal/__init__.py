"""Bosettingsportalen: the Django project and its site-wide apps (register, content, accounts)."""
