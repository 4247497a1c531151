"""The OpenAPI documentation of the submission viewsets (drf-spectacular): examples, query
parameters and one description per action, applied by ``documented`` to each kind's viewset."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from .models import Submission
from .serializers import (
    MAX_ID,
    MAX_INTEGER,
    AcceptSerializer,
    AnswerSerializer,
    ConfirmResultSerializer,
    ConfirmSerializer,
    DiffSerializer,
    EditConflictSerializer,
    ErrorSerializer,
    ReopenSerializer,
    ReviewCommentSerializer,
    SubmissionInvalidSerializer,
    SubmitSerializer,
    TransitionResultSerializer,
    VersionSummarySerializer,
)

ERRORS = {
    403: OpenApiResponse(ErrorSerializer, description="Ingen tilgang til handlingen."),
    404: OpenApiResponse(ErrorSerializer, description="Finnes ikke, eller ikke synlig for deg."),
}
VERSION_NUMBER = OpenApiParameter(
    "number", OpenApiTypes.INT, OpenApiParameter.PATH, description="Versjonsnummeret (1, 2, …)."
)
SUBMISSION_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Innsendingens id."
)


def _example(title: str, value: dict) -> OpenApiExample:
    return OpenApiExample(title, value=value, request_only=True)


PROFILE_EXAMPLES = {
    "patch": _example(
        "Kapasitet og arbeidskraftbehov",
        {
            "sections": {
                "capacity": {"wants_to_settle": "yes", "capacity": 25},
                "labour": [
                    {
                        "occupation": "53",
                        "competence_level": "trade_certificate",
                        "scale": "high",
                        "sector": "public",
                        "description": "Helsefagarbeidere i hjemmetjenesten.",
                    }
                ],
            },
            "base_edits": {"capacity": 1201, "labour": 1198},
        },
    ),
    "return": _example(
        "Med kommentar til et felt",
        {
            "reason": "Tallet må begrunnes.",
            "comments": [
                {"section": "capacity", "field": "capacity", "text": "Hva bygger tallet på?"}
            ],
        },
    ),
}
COUNTY_EXAMPLES = {
    "patch": _example(
        "Planer og anbefalt antall",
        {
            "sections": {
                "plans": {"plan_title": "Kvalifiseringsplan", "plan_period": "2026–2029"},
                "recommendations": [
                    {"municipality": "4003", "number": 40, "justification": "God kapasitet."}
                ],
            },
            "base_edits": {"plans": 1301, "recommendations": 1302},
        },
    ),
    "return": _example(
        "Med kommentar til en del",
        {"comments": [{"section": "recommendations", "text": "Summen er for lav."}]},
    ),
}


def _parameter(name: str, description: str, **schema) -> OpenApiParameter:
    return OpenApiParameter(name, schema, OpenApiParameter.QUERY, description=description)


FILTER_PARAMETERS = [
    _parameter("round", "Bosettingsår (runde)", type="integer", minimum=1900, maximum=2100),
    _parameter("county", "Fylkesnummer, for eksempel «40»", type="string", pattern=r"^\d{2}$"),
]
MUNICIPALITY_PARAMETER = _parameter(
    "municipality", "Kommunenummer, for eksempel «0301»", type="string", pattern=r"^\d{4}$"
)
VERSION_PARAMETERS = [
    _parameter(
        "from", "Versjonen det sammenlignes fra.", type="integer", minimum=1, maximum=MAX_INTEGER
    ),
    _parameter(
        "to", "Versjonen det sammenlignes til.", type="integer", minimum=1, maximum=MAX_INTEGER
    ),
    _parameter(
        "from_submission",
        "Id-en til en annen innsending av samme slag som «from» hentes fra.",
        type="integer",
        minimum=1,
        maximum=MAX_ID,
    ),
]


def documented(viewset, *, singular: str, plural: str, examples: dict):
    """OpenAPI documentation for a submission viewset, with its kind's serializers."""
    transition_responses = {
        200: TransitionResultSerializer,
        400: OpenApiResponse(description="Ugyldig forespørsel; feil per felt."),
        **ERRORS,
        409: OpenApiResponse(ErrorSerializer, description="Statusen tillater ikke handlingen."),
    }

    def detail_operation(summary: str, description: str, **kwargs):
        parameters = [SUBMISSION_ID, *kwargs.pop("parameters", [])]
        return extend_schema(
            summary=summary, description=description, parameters=parameters, **kwargs
        )

    return extend_schema_view(
        list=extend_schema(
            summary=plural,
            description="Bare det du har lov til å se: fylkets egne saksbehandlere ser alt "
            "fra eget fylke, IMDi og KS ser det som er sendt inn (aldri utkast).",
            parameters=[
                *FILTER_PARAMETERS,
                *([MUNICIPALITY_PARAMETER] if viewset.kind == Submission.Kind.PROFILE else []),
            ],
        ),
        retrieve=detail_operation(
            singular,
            "Alle delene. Fylkets egne saksbehandlere får arbeidskopien med base_edits og "
            "section_state; IMDi og KS får siste innsendte versjon (view sier hvilken).",
            responses={200: viewset.detail_serializer_class, **ERRORS},
        ),
        partial_update=detail_operation(
            f"Lagre deler av {singular.lower()}",
            "Lagrer de oppgitte delene, alle eller ingen. base_edits er id-en til siste "
            "endring du har sett per del (fra GET); har noen andre lagret delen siden, svarer "
            "API-et 409 med hvem som lagret når og innholdet deres, og ingenting er lagret. "
            "Koder (kommunenummer, STYRK, Udir) skrives som tekst. Bare fylkets egne "
            "saksbehandlere, og bare i status utkast eller returnert.",
            request=viewset.patch_serializer_class,
            examples=[examples["patch"]],
            responses={
                200: viewset.detail_serializer_class,
                400: OpenApiResponse(description="Ugyldige data; feil per felt."),
                **ERRORS,
                409: OpenApiResponse(
                    EditConflictSerializer,
                    description="Noen andre har lagret delen, eller skjemaet kan ikke endres nå.",
                ),
            },
        ),
        submit=detail_operation(
            "Send inn",
            "Validerer alt og fryser en versjon. Etter fristen kreves late_reason. Bare "
            "fylkets egne saksbehandlere.",
            request=SubmitSerializer,
            responses={
                **transition_responses,
                400: OpenApiResponse(
                    SubmissionInvalidSerializer, description="Skjemaet har feil som må rettes."
                ),
            },
        ),
        confirm=detail_operation(
            "Bekreft uendrede deler",
            "Bekrefter at delene som er overført fra forrige runde, er uendret (alle som verken "
            "er endret eller bekreftet, eller bare de oppgitte). En innsending med overførte "
            "deler som verken er endret eller bekreftet, avvises med 400 og listen unconfirmed. "
            "Bare fylkets egne saksbehandlere, i status utkast eller returnert.",
            request=ConfirmSerializer,
            responses={
                200: ConfirmResultSerializer,
                400: OpenApiResponse(description="Ukjent del."),
                **ERRORS,
                409: OpenApiResponse(ErrorSerializer, description="Skjemaet kan ikke endres nå."),
            },
        ),
        answer=detail_operation(
            "Svar på en kommentar fra IMDi",
            "Fylkets ene svar på en av IMDis kommentarer ved siste retur. Kan endres (eller "
            "tømmes) til skjemaet sendes inn på nytt; hvem og når lagres. Bare fylkets egne "
            "saksbehandlere, mens innsendingen er returnert.",
            parameters=[
                OpenApiParameter(
                    "comment_id",
                    OpenApiTypes.INT,
                    OpenApiParameter.PATH,
                    description="Kommentarens id (fra comments i GET).",
                )
            ],
            request=AnswerSerializer,
            responses={
                200: ReviewCommentSerializer,
                400: OpenApiResponse(description="Ugyldig svar."),
                **ERRORS,
                409: OpenApiResponse(
                    ErrorSerializer, description="Kommentaren kan ikke besvares nå."
                ),
            },
        ),
        return_=detail_operation(
            "Returner for retting",
            "IMDi returnerer en innsendt versjon med begrunnelse og/eller kommentarer per del "
            "og felt, og en frist for retting (correction_deadline, standard 14 dager fra i "
            "dag). Sendes det rettede skjemaet inn innen fristen, er det ikke for sent.",
            request=viewset.return_serializer_class,
            examples=[examples["return"]],
            responses=transition_responses,
        ),
        accept=detail_operation(
            "Godkjenn",
            "IMDi godkjenner en innsendt versjon.",
            request=AcceptSerializer,
            responses=transition_responses,
        ),
        reopen=detail_operation(
            "Gjenåpne",
            "IMDi gjenåpner en godkjent innsending, slik at fylket kan rette og sende inn på "
            "nytt. Krever begrunnelse.",
            request=ReopenSerializer,
            examples=[_example("Begrunnelse", {"reason": "Kommunestyret har vedtatt nye tall."})],
            responses=transition_responses,
        ),
        versions=detail_operation(
            "Innsendte versjoner",
            "Hver innsending fryser en versjon som aldri endres.",
            responses={200: VersionSummarySerializer(many=True), **ERRORS},
        ),
        version=detail_operation(
            "Én innsendt versjon",
            "Innholdet slik det ble sendt inn.",
            parameters=[VERSION_NUMBER],
            responses={200: viewset.version_serializer_class, **ERRORS},
        ),
        diff=detail_operation(
            "Sammenlign to versjoner",
            "Endringer per felt og per rad mellom versjon «from» og «to». Uten «to»: siste "
            "versjon; uten «from»: versjonen før. Med from_submission hentes «from» fra en "
            "annen innsending av samme slag, for eksempel kommunens profil fra i fjor (da er "
            "standard for «from» den innsendingens siste versjon).",
            parameters=VERSION_PARAMETERS,
            responses={
                200: DiffSerializer,
                400: OpenApiResponse(description="Ugyldige parametre."),
                **ERRORS,
            },
        ),
    )(viewset)
