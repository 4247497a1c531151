"""OpenAPI schema hooks: the /api/v1/ schema documents the portal's REST API only (Wagtail's
pages API at /api/v2/ is documented by Wagtail)."""


def only_v1(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
