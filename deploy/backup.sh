#!/usr/bin/env bash
# An encrypted, rotated backup of Golden Thread (docs/deploy.md, "Backups"). Run it nightly (cron, a systemd timer).
#
#   deploy/backup.sh DIR RECIPIENT [KEEP_DAYS]
#
# DIR        where the encrypted backups are kept (made 0700; each file 0600)
# RECIPIENT  the GnuPG public key to encrypt to (its private key is kept OFF this server)
# KEEP_DAYS  delete encrypted backups older than this many days (default 35)
#
# GOLDENTHREAD  how to run the command (default: goldenthread). With deploy/compose.yaml:
#   GOLDENTHREAD="docker compose -f deploy/compose.yaml --env-file deploy/.env run --rm -T backup" \
#   INNER_DIR=/backups deploy/backup.sh deploy/backups it-team@example.gov.uk
# INNER_DIR     DIR as that command sees it (the backup service mounts deploy/backups at /backups)
set -euo pipefail
umask 077
DIR=${1:?usage: deploy/backup.sh DIR RECIPIENT [KEEP_DAYS]}
RECIPIENT=${2:?usage: deploy/backup.sh DIR RECIPIENT [KEEP_DAYS]}
KEEP_DAYS=${3:-35}
GOLDENTHREAD=${GOLDENTHREAD:-goldenthread}
INNER_DIR=${INNER_DIR:-$DIR}

mkdir -p "$DIR"
chmod 700 "$DIR"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
PLAIN=".goldenthread-$STAMP.unencrypted"
trap 'rm -f "$DIR/$PLAIN"' EXIT   # the readable copy never outlives this script

# shellcheck disable=SC2086  # GOLDENTHREAD may be a whole command line
$GOLDENTHREAD backup --output "$INNER_DIR/$PLAIN"
gpg --batch --yes --trust-model always --encrypt --recipient "$RECIPIENT" \
    --output "$DIR/goldenthread-$STAMP.backup.gpg" "$DIR/$PLAIN"
chmod 600 "$DIR/goldenthread-$STAMP.backup.gpg"
find "$DIR" -maxdepth 1 -name 'goldenthread-*.backup.gpg' -mtime +"$KEEP_DAYS" -delete
echo "backup: $DIR/goldenthread-$STAMP.backup.gpg ($(stat -c %s "$DIR/goldenthread-$STAMP.backup.gpg") bytes)"
