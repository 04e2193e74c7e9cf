#!/bin/sh
# Start a cohort server (docs/cohort.md): upgrade the schema and the database's
# row security as the tables' owner, then serve as the server's own role.
#   SRS_CRSS_OWNER_DB  URL signed in as the tables' owner (upgrades only)
#   SRS_CRSS_DB        URL signed in as the server's role (SRS_CRSS_APP_ROLE)
set -eu
: "${SRS_CRSS_DB:?set SRS_CRSS_DB to the server role's database URL}"
: "${SRS_CRSS_OWNER_DB:?set SRS_CRSS_OWNER_DB to the owner's database URL}"
: "${SRS_CRSS_APP_ROLE:=srs_app}"
srs-crss --db "$SRS_CRSS_OWNER_DB" cohort setup-db --app-role "$SRS_CRSS_APP_ROLE"
exec srs-crss serve --cohort --no-browser --host 0.0.0.0 --port "${SRS_CRSS_PORT:-8370}" --proxy-headers "$@"
