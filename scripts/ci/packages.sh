#!/usr/bin/env bash
# Install every Debian package CI needs, in one apt transaction (skipped when all are there).
# Each service script also checks its own packages, so they work on their own too.
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

PACKAGES=(
    # build and run the project (`make test` creates .venv with python3 -m venv)
    ca-certificates curl git make unzip python3 python3-venv
    # database
    postgresql
    # browser for the Playwright end-to-end tests (driven at /usr/bin/chromium)
    chromium fonts-liberation fonts-dejavu-core
    # Elasticsearch (the integ-test-zip has no bundled JDK) and Maven to fetch it
    openjdk-17-jre-headless maven
)

apt_ensure "${PACKAGES[@]}"
