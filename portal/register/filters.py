"""Query filters the API's schema can state truthfully (schemathesis ``--checks all``).

django-filter's ``BooleanFilter`` and ``ChoiceFilter`` treat a value they do not know (``null``,
``-1``) or an empty one (``status=``) as if the parameter were absent, so a request the schema
forbids is answered as if it were allowed. These refuse it with a Norwegian 400 instead."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceField
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

TRUE_VALUES = {"true", "True", "1"}
FALSE_VALUES = {"false", "False", "0"}


class StrictBooleanField(forms.Field):
    default_error_messages = {"invalid": _("Skriv «true» eller «false».")}

    def to_python(self, value):
        if value is None:  # the parameter is not given
            return None
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StrictChoiceField(ChoiceField):
    """A choice that, once the parameter is given, must be one of the choices (never empty)."""

    def to_python(self, value):
        if value is None:
            return ""
        if value == "":
            raise forms.ValidationError(self.error_messages["invalid_choice"] % {"value": ""})
        return super().to_python(value)

    def validate(self, value):
        if value != "":
            super().validate(value)


class StrictChoiceFilter(django_filters.ChoiceFilter):
    field_class = StrictChoiceField


class StrictPageNumberPagination(PageNumberPagination):
    """DRF reads an empty ``page=`` as the first page; the schema says an integer, so an empty
    page is refused like any other page that is not a number (404, «Ugyldig side»)."""

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param, None) == "":
            raise NotFound(_("Ugyldig side: skriv et sidetall."))
        return super().get_page_number(request, paginator)

    def get_page_size(self, request):
        """A page size that is given must be a whole number from 1 to ``max_page_size``: DRF
        would quietly use the default instead, or the largest allowed."""
        if self.page_size_query_param:
            given = request.query_params.getlist(self.page_size_query_param)
            if given:
                value = given[0]
                top = self.max_page_size or self.page_size
                if (
                    len(given) > 1
                    or not (value.isascii() and value.isdigit())
                    or not 1 <= int(value) <= top
                ):
                    raise ValidationError(
                        {
                            self.page_size_query_param: [
                                _("Treff per side må være et helt tall fra 1 til %(max)s.")
                                % {"max": top}
                            ]
                        }
                    )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                top = self.max_page_size or self.page_size
                parameter["schema"].update(minimum=1, maximum=top)
        return parameters
