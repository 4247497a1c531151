"""OpenAPI schema hooks: the /api/v1/ schema documents the portal's REST API only (Wagtail's
pages API at /api/v2/ is documented by Wagtail)."""


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
