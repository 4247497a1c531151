"""Forms for IMDi's review actions (return, accept, reopen) and the rule for a round's status
in the admin forms. The forms only collect input; the services decide and write."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Round
from .reviews import correction_deadline_error, default_correction_deadline
from .sections import Section, sections_for

_TEXTAREA = {"rows": 3}


@dataclass
class SectionFields:
    """The three comment controls of one section, bound, for the template."""

    section: Section
    comment: forms.BoundField
    field: forms.BoundField
    field_comment: forms.BoundField


class ReturnForm(forms.Form):
    """Return for correction: a reason, and per section a comment on the whole section and a
    comment on one chosen field. At least one of them must be written."""

    reason = forms.CharField(
        label=_("Begrunnelse"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text=_("Hva fylket må rette, samlet. Fylket ser teksten sammen med kommentarene."),
    )
    correction_deadline = forms.DateField(
        label=_("Frist for retting"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Sender fylket inn det rettede skjemaet innen utgangen av denne dagen, regnes det "
            "ikke som for sent. Forslaget er 14 dager fra i dag; tomt gir også 14 dager."
        ),
        error_messages={
            "invalid": _("Skriv fristen for retting som en dato, for eksempel 21.12.2026."),
        },
    )

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("prefix", "retur")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["correction_deadline"].initial = default_correction_deadline()
        self.kind = kind
        self.section_keys = []
        for section in sections_for(kind):
            key = section.key
            self.section_keys.append(key)
            number = section.number
            self.fields[f"{key}__comment"] = forms.CharField(
                label=_("Kommentar til hele del %(n)s") % {"n": number},
                required=False,
                widget=forms.Textarea(attrs=_TEXTAREA),
            )
            self.fields[f"{key}__field"] = forms.ChoiceField(
                label=_("Felt i del %(n)s som kommentaren under gjelder") % {"n": number},
                required=False,
                choices=[("", _("Velg felt"))]
                + [(name, section.field_label(name, kind)) for name in section.fields],
            )
            self.fields[f"{key}__field_comment"] = forms.CharField(
                label=_("Kommentar til feltet i del %(n)s") % {"n": number},
                required=False,
                widget=forms.Textarea(attrs=_TEXTAREA),
            )

    def clean_correction_deadline(self):
        day = self.cleaned_data["correction_deadline"] or default_correction_deadline()
        problem = correction_deadline_error(day)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def section_groups(self) -> list[SectionFields]:
        return [
            SectionFields(
                section,
                self[f"{section.key}__comment"],
                self[f"{section.key}__field"],
                self[f"{section.key}__field_comment"],
            )
            for section in sections_for(self.kind)
        ]

    def clean(self):
        cleaned = super().clean()
        comments = []
        for key in self.section_keys:
            text = (cleaned.get(f"{key}__comment") or "").strip()
            if text:
                comments.append((key, "", text))
            field_name = cleaned.get(f"{key}__field") or ""
            field_text = (cleaned.get(f"{key}__field_comment") or "").strip()
            if field_text and not field_name:
                self.add_error(
                    f"{key}__field",
                    _(
                        "Velg hvilket felt kommentaren gjelder, eller skriv den som "
                        "kommentar til hele delen."
                    ),
                )
            elif field_name and not field_text:
                self.add_error(f"{key}__field_comment", _("Skriv kommentaren til feltet."))
            elif field_text:
                comments.append((key, field_name, field_text))
        if not (cleaned.get("reason") or "").strip() and not comments and not self.errors:
            raise forms.ValidationError(
                _("Skriv hva fylket må rette: en begrunnelse eller minst én kommentar."),
                code="empty",
            )
        cleaned["comments"] = comments
        return cleaned


class AcceptForm(forms.Form):
    reason = forms.CharField(
        label=_("Merknad (valgfritt)"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text=_("Vises for fylket i historikken."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "godkjenn")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text=_("Hvorfor innsendingen åpnes igjen. Fylket kan da rette og sende inn på nytt."),
        error_messages={"required": _("Skriv hvorfor innsendingen gjenåpnes.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "gjenapne")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Skriv hvorfor innsendingen gjenåpnes."))
        return reason


def round_status_error(round_: Round, new_status: str) -> str | None:
    """Why an admin form may not set this status, or None.

    Opening creates every county's drafts, so it happens only through «Åpne runden»
    (``services.open_round``), never by editing the status; an opened round never goes back
    to planning."""
    old_status = None
    if round_.pk:
        old_status = Round.objects.filter(pk=round_.pk).values_list("status", flat=True).first()
    if new_status == Round.Status.OPEN and old_status != Round.Status.OPEN:
        return str(_("Bruk «Åpne runden» for å åpne runden, så får fylkene skjemaene sine."))
    if new_status == Round.Status.PLANNING and round_.opened_at is not None:
        return str(_("Runden er åpnet og kan ikke settes tilbake til planlegging."))
    return None
