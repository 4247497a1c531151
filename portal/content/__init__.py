"""Wagtail content: the home page, guidance pages, meetings and their minutes."""
