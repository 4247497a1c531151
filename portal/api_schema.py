"""OpenAPI schema hooks: the /api/v1/ schema documents the portal's REST API only (Wagtail's
pages API at /api/v2/ is documented by Wagtail)."""

from django.db import DatabaseError


def only_v1(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


# platform: the error answers every operation can give, so the schema and the responses agree
# (schemathesis --checks all): DRF answers 400 for bad parameters or bodies, 401/403 for
# authentication and permission, 404 for an unknown object or a page past the last.
_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_ERRORS = {
    "400": ("Ugyldige parametre eller data, med forklaring per felt.", {"type": "object"}),
    "401": ("Ikke innlogget, eller ugyldig token.", _DETAIL),
    "403": ("Innlogget, men uten tilgang.", _DETAIL),
    "404": ("Finnes ikke (eller ikke synlig for deg), eller en side etter den siste.", _DETAIL),
    "429": ("For mange forespørsler; se Retry-After (portal/api_throttling.py).", _DETAIL),
}


def document_errors(result, generator, request, public):
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in _ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": schema}},
                    },
                )
    return result


# The rules on input that the serializers enforce in code, stated in the schema, so a request
# the schema allows is accepted and one it forbids is refused (schemathesis's
# positive_data_acceptance and negative_data_rejection checks).
# No NUL anywhere (portal/api_parsers.py refuses it: PostgreSQL cannot store it).
_NO_NUL = r"^[^\u0000]*$"
# Not blank as DRF sees it (``str.strip()``): at least one character that Python does not count
# as white space. Written out, because ``\s`` means another set in the schema's regex dialect
# (ECMA: no U+001C–U+001F or U+0085, but U+FEFF), and schemathesis found «\u001f\u001f»
# valid by the schema and blank to the serializer.
_PY_SPACE = (
    r"\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f"
    r"\u205f\u3000"
)
_NOT_BLANK = {"type": "string", "pattern": rf"^[^\u0000]*[^\u0000{_PY_SPACE}][^\u0000]*$"}
_RETURN_RULE = {
    "anyOf": [
        {"required": ["reason"], "properties": {"reason": _NOT_BLANK}},
        {"required": ["comments"], "properties": {"comments": {"type": "array", "minItems": 1}}},
    ],
    "description": "En retur må ha en begrunnelse eller minst én kommentar.",
}
# Marking notifications read names them («ids») or asks for all («all»: true), never both.
_MARK_READ_RULE = {
    "anyOf": [
        {"required": ["ids"], "properties": {"all": {"type": "boolean", "enum": [False]}}},
        {
            "required": ["all"],
            "properties": {"all": {"type": "boolean", "enum": [True]}},
            "not": {"required": ["ids"]},
        },
    ],
    "description": "Oppgi enten «ids» eller «all»: true.",
}
_HOUSEHOLD_RULE = {
    "anyOf": [
        {
            "required": ["adults"],
            "properties": {
                "adults": {"type": "array", "minItems": 1},
                "unaccompanied_minor_age": {"nullable": True, "enum": [None]},
            },
        },
        {
            "required": ["unaccompanied_minor_age"],
            "properties": {
                "unaccompanied_minor_age": {"type": "integer", "minimum": 0, "maximum": 17},
                "adults": {"type": "array", "maxItems": 0},
                "children_ages": {"type": "array", "maxItems": 0},
            },
        },
    ],
}
_CONNECTION_RULE = {
    "anyOf": [
        {"properties": {"required": {"type": "boolean", "enum": [False]}}},
        {"required": ["municipality"], "properties": {"municipality": {"type": "string"}}},
    ],
}
# An unaccompanied minor's allocation is one person.
_MINOR_ALLOCATION_RULE = {
    "anyOf": [
        {"properties": {"minor_group": {"type": "string", "enum": [""]}}},
        {"properties": {"persons": {"type": "integer", "enum": [1]}}},
    ],
    "description": "En tildeling av en enslig mindreårig gjelder én person.",
}
_MUNICIPALITY_NUMBER = r"^[0-9]{4}$"
_COUNTY_NUMBER = r"^[0-9]{2}$"
_STRICT = (
    "RankingRequest",
    "RankingWeights",
    "BatchRequest",
    "AllocationCreate",
    "AllocationReason",
    "MunicipalityCapacityUpdate",
    "Household",
    "BatchHousehold",
    "HouseholdAdult",
    "HouseholdConnection",
)
_YEAR = {"type": "integer", "minimum": 1900, "maximum": 2100}


# The schema names this installation's rounds and structure versions when its database answers.
# Before `migrate` (`check --deploy` on a new server, the schema built in CI's first step) it has
# no tables: the schema is then the general one, without the enums, rather than an error.
def _known_years() -> list[int]:
    from skjema.models import Round

    try:
        return sorted(Round.objects.values_list("year", flat=True))
    except DatabaseError:
        return []


def _known_structures() -> list[str]:
    from portal.register.models import StructureVersion

    try:
        return sorted(StructureVersion.objects.values_list("code", flat=True))
    except DatabaseError:
        return []


def _register_codes() -> dict[str, list[str]]:
    """The register's codes that requests refer to (an unknown one is refused with a 400): the
    schema lists them, so what it allows is what the API accepts."""
    from portal.register.models import Municipality, Occupation, Programme, ProgrammeArea

    try:
        return {
            "occupation": sorted(Occupation.objects.values_list("code", flat=True)),
            "area": sorted(ProgrammeArea.objects.values_list("code", flat=True)),
            "programme": sorted(
                [
                    *Programme.objects.values_list("code", flat=True),
                    *ProgrammeArea.objects.values_list("code", flat=True),
                ]
            ),
            "municipality": sorted(Municipality.objects.values_list("number", flat=True)),
            # An allocation goes to a municipality of the round's structure: today's.
            "current": sorted(Municipality.objects.current().values_list("number", flat=True)),
        }
    except DatabaseError:
        return {}


def _search_codes() -> dict[str, list[str]]:
    """What the search filters accept (sok.facets.register_names: today's municipalities for
    «cooperation» and «near»; names are accepted too, the schema lists the numbers)."""
    from sok.facets import register_names

    try:
        names = register_names()
    except DatabaseError:
        return {}
    codes = {key: sorted(values) for key, values in names.items() if values}
    if "cooperation" in codes:
        codes["near"] = codes["cooperation"]
    return codes


def _comment_rule(kind: str) -> dict:
    """A comment's field must be one of its section's fields."""
    from skjema.sections import sections_for

    return {
        "anyOf": [
            {
                "properties": {
                    "section": {"type": "string", "enum": [section.key]},
                    "field": {"type": "string", "enum": ["", *section.fields]},
                }
            }
            for section in sections_for(kind)
        ]
    }


def _forbid_nul(schema: dict) -> None:
    """Every free-text string of the components: no NUL."""
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not (
        {"enum", "format", "pattern"} & schema.keys() or schema.get("readOnly")
    ):
        schema["pattern"] = _NO_NUL
    for key in ("properties", "patternProperties"):
        for child in (schema.get(key) or {}).values():
            _forbid_nul(child)
    for key in ("items", "additionalProperties"):
        _forbid_nul(schema.get(key))
    for key in ("anyOf", "oneOf", "allOf"):
        for child in schema.get(key) or ():
            _forbid_nul(child)


def _set_enum(schema: dict | None, values: list[str]) -> None:
    if schema is None or not values:
        return
    if schema.get("type") == "array":
        schema = schema.setdefault("items", {"type": "string"})
    schema.pop("pattern", None)
    schema["enum"] = values


def _search_paging(operation: dict) -> None:
    """The search pages through at most MAX_RESULT_WINDOW hits (page × page_size); with the
    largest page size that is this many pages. An empty sort is the default order."""
    from sok.forms import MAX_PAGE_SIZE, MAX_RESULT_WINDOW

    page = _parameter(operation, "page")
    if page is not None:
        page["maximum"] = MAX_RESULT_WINDOW // MAX_PAGE_SIZE
    sort = _parameter(operation, "sort")
    if sort is not None and "enum" in sort and "" not in sort["enum"]:
        sort["enum"] = ["", *sort["enum"]]


def _merge(schema: dict, rule: dict) -> None:
    for key, value in rule.items():
        if key == "description":
            schema["description"] = f"{schema.get('description', '')} {value}".strip()
        else:
            schema[key] = value


def _parameter(operation: dict, name: str) -> dict | None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and parameter.get("name") == name:
            return parameter.setdefault("schema", {})
    return None


def state_input_rules(result, generator, request, public):
    components = result.get("components", {}).get("schemas", {})
    for name in ("ProfileReturn", "CountySubmissionReturn"):
        if name in components:
            _merge(components[name], _RETURN_RULE)
    for name in ("Household", "BatchHousehold"):
        if name in components:
            _merge(components[name], _HOUSEHOLD_RULE)
            adults = components[name].get("properties", {}).get("adults")
            if adults is not None:
                adults["maxItems"] = 12
    if "HouseholdConnection" in components:
        _merge(components["HouseholdConnection"], _CONNECTION_RULE)
    if "MarkRead" in components:
        _merge(components["MarkRead"], _MARK_READ_RULE)
        components["MarkRead"]["properties"]["ids"]["minItems"] = 1
    years = _known_years()
    codes = _register_codes()
    placement_round = {"type": "integer", "enum": years} if years else None
    for name in ("RankingRequest", "BatchRequest", "AllocationCreate"):
        properties = components.get(name, {}).get("properties", {})
        if placement_round and "round" in properties:
            description = properties["round"].get("description")
            properties["round"] = {**placement_round}
            properties["round"]["description"] = (
                description or "Bosettingsåret til en runde som finnes."
            )
        if "households" in properties:
            properties["households"].update(minItems=1, maxItems=300)
        if name == "AllocationCreate" and "municipality" in properties:
            properties["municipality"]["pattern"] = _MUNICIPALITY_NUMBER
            _set_enum(properties["municipality"], codes.get("current", []))
    for name, kind in (
        ("ProfileReviewCommentInput", "profile"),
        ("CountyReviewCommentInput", "county"),
    ):
        text = components.get(name, {}).get("properties", {}).get("text")
        if text is not None:
            text.update(_NOT_BLANK)
        if name in components:
            _merge(components[name], _comment_rule(kind))
    adult = components.get("HouseholdAdult", {}).get("properties", {})
    if "occupations" in adult:
        _set_enum(adult["occupations"], codes.get("occupation", []))
    if "education_route" in adult:
        _set_enum(adult["education_route"], codes.get("area", []))
    connection = components.get("HouseholdConnection", {}).get("properties", {})
    if "municipality" in connection:
        _set_enum(connection["municipality"], codes.get("municipality", []))
    case_reference = components.get("BatchHousehold", {}).get("properties", {})
    if "case_reference" in case_reference:
        case_reference["case_reference"].update(_NOT_BLANK)
    for name in _STRICT:  # plassering's StrictSerializer refuses unknown keys
        if name in components:
            components[name]["additionalProperties"] = False
    reopen = components.get("Reopen", {}).get("properties", {})
    if "reason" in reopen:
        reopen["reason"].update(_NOT_BLANK)
    bulk = components.get("BulkAccept", {}).get("properties", {})
    if "ids" in bulk:
        bulk["ids"]["minItems"] = 1
    if "round" in bulk:
        bulk["round"].update(_YEAR)
    structures = _known_structures()
    search_codes = _search_codes()
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            if path.endswith(("/return/", "/notifications/read/")) and "requestBody" in operation:
                operation["requestBody"]["required"] = True
            if path.startswith("/api/v1/review-queue/"):
                round_ = _parameter(operation, "round")
                if round_ is not None:
                    round_.update(_YEAR)
            if path.startswith(("/api/v1/review-queue/", "/api/v1/placement/")):
                county = _parameter(operation, "county")
                if county is not None:
                    county["pattern"] = _COUNTY_NUMBER
            structure = _parameter(operation, "structure")
            if structure is not None and structures:
                structure["enum"] = structures
            if path.startswith("/api/v1/search/profiles/"):
                for name, values in search_codes.items():
                    _set_enum(_parameter(operation, name), values)
                _search_paging(operation)
            if path.startswith("/api/v1/placement/"):
                round_ = _parameter(operation, "round")
                if round_ is not None and placement_round:
                    round_.update(placement_round)
    if "AllocationCreate" in components:
        _merge(components["AllocationCreate"], _MINOR_ALLOCATION_RULE)
    for name in _request_components(result):
        _forbid_nul(components[name])
    return result


def _request_components(result: dict) -> set[str]:
    """The components that request bodies use, directly or through others (responses may echo
    what was sent, a NUL included, in a 400's messages)."""
    components = result.get("components", {}).get("schemas", {})
    found: set[str] = set()

    def refs(value):
        if isinstance(value, dict):
            ref = value.get("$ref", "")
            name = ref.rsplit("/", 1)[-1]
            if ref.startswith("#/components/schemas/") and name not in found:
                found.add(name)
                refs(components.get(name))
            for child in value.values():
                refs(child)
        elif isinstance(value, list):
            for child in value:
                refs(child)

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                refs(operation.get("requestBody"))
    return found & components.keys()
