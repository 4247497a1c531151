"""What every content page shares: a queryset that knows who may see a page."""

from django.db.models import Q
from wagtail.models import BaseViewRestriction, PageManager, PageQuerySet, PageViewRestriction


def restriction_admits(restriction: PageViewRestriction, user, group_ids: set[int]) -> bool:
    """Whether ``user`` passes a login or group restriction. Password restrictions are never
    passed here: they hold per session, and listings should not reveal such pages."""
    if restriction.restriction_type == BaseViewRestriction.LOGIN:
        return bool(user and user.is_authenticated)
    if restriction.restriction_type == BaseViewRestriction.GROUPS:
        if not (user and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        return any(group.pk in group_ids for group in restriction.groups.all())
    return False


class ContentPageQuerySet(PageQuerySet):
    def visible_to(self, user):
        """Live pages the user may open: pages under a view restriction the user does not pass
        (wrong group, not logged in, password), and minutes for participants the user is not
        one of, are left out. Two to four queries up front."""
        restrictions = list(
            PageViewRestriction.objects.select_related("page").prefetch_related("groups")
        )
        group_ids: set[int] = set()
        if user is not None and user.is_authenticated and restrictions:
            group_ids = set(user.groups.values_list("pk", flat=True))
        hidden = Q()
        for restriction in restrictions:
            if not restriction_admits(restriction, user, group_ids):
                hidden |= self.descendant_of_q(restriction.page, inclusive=True)
        queryset = self.live()
        queryset = queryset.exclude(hidden) if hidden else queryset
        # Minutes published for the participants only (``MinutesPage.visibility``): for every
        # listing and search of pages, not just the minutes' own.
        from .meetings import MinutesPage

        return queryset.exclude(pk__in=MinutesPage.objects.unreadable_by(user))


class ContentPageManager(PageManager.from_queryset(ContentPageQuerySet)):
    pass
