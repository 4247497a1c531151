"""REST API for rounds, profiles and county submissions (DRF)."""


def register_routes(router) -> None:
    pass
