"""ETRS89 / UTM zone 33N (EPSG:25833), the projection Kartverket uses for maps of all Norway.

Transverse Mercator by Krüger's series to the sixth order in n (Karney 2011, "Transverse
Mercator with an accuracy of a few nanometres"), on the GRS80 ellipsoid: well under a millimetre
within the zone and a few millimetres at Norway's far edges (4.5°E–31°E), which is all a map
drawn to the metre needs. Written out here so the portal needs no projection library.
"""

import math

_A = 6378137.0  # GRS80 semi-major axis
_F = 1 / 298.257222101  # GRS80 flattening
_K0 = 0.9996
_LON0 = math.radians(15.0)
_FALSE_EASTING = 500_000.0

_N = _F / (2 - _F)
_E = math.sqrt(_F * (2 - _F))
_RECTIFYING_RADIUS = _A / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64 + _N**6 / 256)
_ALPHA = (
    _N / 2
    - 2 * _N**2 / 3
    + 5 * _N**3 / 16
    + 41 * _N**4 / 180
    - 127 * _N**5 / 288
    + 7891 * _N**6 / 37800,
    13 * _N**2 / 48
    - 3 * _N**3 / 5
    + 557 * _N**4 / 1440
    + 281 * _N**5 / 630
    - 1983433 * _N**6 / 1935360,
    61 * _N**3 / 240 - 103 * _N**4 / 140 + 15061 * _N**5 / 26880 + 167603 * _N**6 / 181440,
    49561 * _N**4 / 161280 - 179 * _N**5 / 168 + 6601661 * _N**6 / 7257600,
    34729 * _N**5 / 80640 - 3418889 * _N**6 / 1995840,
    212378941 * _N**6 / 319334400,
)


def utm33(lon: float, lat: float) -> tuple[float, float]:
    """(easting, northing) in metres of a WGS84/ETRS89 longitude and latitude in degrees."""
    phi = math.radians(lat)
    lam = math.radians(lon) - _LON0
    sin_phi = math.sin(phi)
    # Conformal latitude, through its tangent.
    tau = math.tan(phi)
    sigma = math.sinh(_E * math.atanh(_E * sin_phi))
    tau_c = tau * math.sqrt(1 + sigma**2) - sigma * math.sqrt(1 + tau**2)
    xi_p = math.atan2(tau_c, math.cos(lam))
    eta_p = math.asinh(math.sin(lam) / math.sqrt(tau_c**2 + math.cos(lam) ** 2))
    xi, eta = xi_p, eta_p
    for j, alpha in enumerate(_ALPHA, start=1):
        xi += alpha * math.sin(2 * j * xi_p) * math.cosh(2 * j * eta_p)
        eta += alpha * math.cos(2 * j * xi_p) * math.sinh(2 * j * eta_p)
    return (_FALSE_EASTING + _K0 * _RECTIFYING_RADIUS * eta, _K0 * _RECTIFYING_RADIUS * xi)
