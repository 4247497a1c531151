"""Users, roles, county membership and the one module of permission rules (``rules``)."""
