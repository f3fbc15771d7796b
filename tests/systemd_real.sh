#!/usr/bin/env bash
# tests/systemd_real.sh: the Debian package under a real systemd, installed and configured
# exactly as README.md's "Install on Debian with systemd" says, against a real Odoo 19.
# Run by `cargo test` (tests/systemd_real.rs); it fails, never skips, when something it
# needs is missing.
#
# It boots Debian 12 with systemd 252 as PID 1 (../shared/systemd-real) and starts a real
# Odoo 19 (../shared/odoo-real) on this machine, then runs the README's install block line
# by line (the build on this machine, the rest inside the container as the administrator
# would) and checks, with systemd itself:
#   - `relanced check` passes before the first start (credentials found where the unit
#     loads them from), and the service becomes active (Type=notify, READY);
#   - the scheduled run finishes: emails in the outbox, a PDF letter rendered by WeasyPrint
#     under the sandbox, the level's marker tag on the customers in Odoo; healthcheck and
#     metrics answer;
#   - `systemctl reload` with a broken configuration keeps the running one and says why in
#     `systemctl status`;
#   - `systemctl stop` during a run lets the customer in progress finish: exit 0, the run
#     recorded as interrupted, no action left half done;
#   - the watchdog restarts a hung daemon (SIGSTOP; "Watchdog timeout", NRestarts);
#   - `systemd-analyze security` gives the exposure README.md states, and
#     `systemd-analyze verify` finds nothing in the unit systemd 252 does not know;
#   - reinstalling the package (README "Upgrade") keeps the configuration's group and mode.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${RELANCED_SHARED:-$REPO/../shared}
SYSTEMD_KIT=$SHARED/systemd-real
ODOO_KIT=$SHARED/odoo-real
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
case "$TARGET" in /*) ;; *) TARGET=$REPO/$TARGET ;; esac
HERE=$REPO/tests/systemd_real
# Customers reminded by the first run, and by the run stopped half-way.
SMALL=3 BIG=${RELANCED_SYSTEMD_BIG:-120}
T0=$(date +%s)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/relanced-systemd-real.XXXXXX")
chmod 755 "$WORK" # odoo-up runs initdb as another user under it
CT="" ODOO="" debian_pid=""

say() { printf 'systemd_real [+%ss] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
diagnostics() {
  [ -n "$CT" ] && [ -f "$CT/env" ] || return 0
  echo "---- systemctl status relanced" >&2
  "$SYSTEMD_KIT/debian-exec" "$CT" systemctl status relanced --no-pager -l >&2 2>&1 || true
  echo "---- journalctl -u relanced (last 60 lines)" >&2
  "$SYSTEMD_KIT/debian-exec" "$CT" journalctl -u relanced --no-pager -o short-monotonic -n 60 >&2 2>&1 || true
}
fail() {
  echo "systemd_real: FAIL: $*" >&2
  diagnostics
  exit 1
}
cleanup() {
  local rc=$?
  # A container still booting is waited for, then powered off like a booted one.
  say "cleaning up"
  [ -n "$debian_pid" ] && wait "$debian_pid" 2>/dev/null
  [ -f "$WORK/debian/nspawn.pid" ] && "$SYSTEMD_KIT/debian-down" "$WORK/debian" >/dev/null 2>&1
  say "container down"
  [ -f "$WORK/odoo/env" ] && "$ODOO_KIT/odoo-down" "$WORK/odoo" >/dev/null 2>&1
  rm -rf "$WORK"
  say "done (exit $rc)"
}
trap cleanup EXIT

# Inside the container, as root (the administrator with sudo).
ct() { "$SYSTEMD_KIT/debian-exec" "$CT" "$@"; }
# `systemctl show -p NAME --value`.
prop() { ct systemctl show relanced -p "$1" --value; }
# Waits up to $1 seconds for command "${@:2}" to succeed.
wait_for() {
  local limit=$1 i
  shift
  for ((i = 0; i < limit * 5; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}
journal_has() { ct journalctl -u relanced --no-pager -o cat | grep -qF -- "$1"; }
status_has() { ct systemctl status relanced --no-pager -l 2>&1 | grep -qF -- "$1"; }
# Writes the configuration the administrator edits; $1: the [schedule] line, $2: offset.
write_config() {
  sed -e "s|@ODOO_URL@|$ODOO_URL|" -e "s|@ODOO_DB@|$DB|" -e "s|@HTTP_PORT@|$HTTP_PORT|" \
    -e "s|@SCHEDULE@|$1|" -e "s|^offset_days = 3$|offset_days = $2|" \
    "$HERE/relanced.toml.in"
}
# JSON-2 call to the real Odoo as the administrator: model, method, JSON body.
odoo_json2() {
  curl -sS --fail-with-body -X POST "$ODOO_URL/json/2/$1/$2" \
    -H "Authorization: bearer $ADMIN_KEY" -H "X-Odoo-Database: $DB" \
    -H 'Content-Type: application/json' -d "$3"
}

# ---- What it needs: fail, never skip.
[ "$(id -u)" = 0 ] || fail "must run as root (systemd-nspawn, debootstrap, initdb)"
for tool in systemd-nspawn debootstrap curl python3 pdftotext; do
  command -v "$tool" >/dev/null || fail "$tool is missing: run .ci/run (it installs what the tests need)"
done
cargo deb --version >/dev/null 2>&1 || fail "cargo-deb is missing: cargo install cargo-deb --locked (.ci/run does)"
[ -x "$SYSTEMD_KIT/debian-up" ] || fail "$SYSTEMD_KIT/debian-up missing (set RELANCED_SHARED)"
[ -x "$ODOO_KIT/odoo-up" ] || fail "$ODOO_KIT/odoo-up missing (set RELANCED_SHARED)"

# ---- Debian 12 with systemd as PID 1, and a real Odoo 19, side by side.
say "booting Debian 12 (systemd 252) and starting Odoo 19"
"$SYSTEMD_KIT/debian-up" --dir "$WORK/debian" --watch $$ >"$WORK/debian-up.log" 2>&1 &
debian_pid=$!
"$ODOO_KIT/odoo-up" 19.0 --dir "$WORK/odoo" --watch $$ >"$WORK/odoo-up.log" 2>&1 \
  || { tail -20 "$WORK/odoo-up.log" >&2; fail "odoo-up 19.0 failed"; }
ODOO=$WORK/odoo
wait "$debian_pid" || { tail -20 "$WORK/debian-up.log" >&2; fail "the Debian 12 container did not boot (debian-up)"; }
CT=$WORK/debian
# shellcheck disable=SC1091
. "$CT/env"
# shellcheck disable=SC1091
. "$ODOO/env"
[ "$(ct systemctl --version | head -1 | awk '{print $2}')" = 252 ] || fail "the container's systemd is not 252"
HTTP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
say "container up, Odoo at $ODOO_URL"

# The administrator's machine: apt lists, sudo (the README's commands use it), "yes" to
# apt's question, and the packages downloaded by earlier runs of this test (kept beside the
# kit's root file system cache: the recommends are some 190 MB), in the background while
# Odoo gets its book.
APT_CACHE=${RELANCED_SYSTEMD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/relanced-systemd}/apt-archives
mkdir -p "$APT_CACHE"
find "$APT_CACHE" -name '*.deb' -exec cp -t "$DEBIAN_ROOT/var/cache/apt/archives/" {} +
echo 'APT::Get::Assume-Yes "true";' >"$DEBIAN_ROOT/etc/apt/apt.conf.d/90-test-assume-yes"
echo "127.0.1.1 $(cat "$DEBIAN_ROOT/etc/hostname")" >>"$DEBIAN_ROOT/etc/hosts"
ct sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sudo' \
  >"$WORK/apt-sudo.log" 2>&1 &
apt_pid=$!

# ---- Odoo as README "Configure Odoo" says: the bot user, its API key, customers.
DB=relanced_systemd
"$ODOO_KIT/odoo-new-db" "$ODOO" "$DB"
BOOK_SMALL=$SMALL BOOK_BIG=$BIG "$ODOO_KIT/odoo-shell" "$ODOO" "$DB" <"$HERE/book.py" >"$WORK/book.out" 2>&1 \
  || { tail -20 "$WORK/book.out" >&2; fail "making the Odoo book failed"; }
SMALL_IDS=$(sed -n 's/^SMALL=//p' "$WORK/book.out")
BOT_KEY=$(sed -n 's/^BOT_KEY=//p' "$WORK/book.out")
ADMIN_KEY=$(sed -n 's/^ADMIN_KEY=//p' "$WORK/book.out")
[ -n "$BOT_KEY" ] && [ -n "$ADMIN_KEY" ] && [ -n "$SMALL_IDS" ] || { tail -20 "$WORK/book.out" >&2; fail "no API key or customers made"; }
say "Odoo book made: $SMALL customers due 20 days ago, $BIG due yesterday"
wait "$apt_pid" || { tail -20 "$WORK/apt-sudo.log" >&2; fail "apt-get update / install sudo in the container failed"; }

# ---- README "Install on Debian with systemd", line by line.
block=$(awk '/^## Install on Debian with systemd/ {s=1; next} s && /^```sh/ {b=1; next} b && /^```/ {exit} b' "$REPO/README.md")
[ -n "$block" ] || fail "README.md has no sh block under '## Install on Debian with systemd'"
write_config 'at = "00:00"' 3 >"$DEBIAN_ROOT/root/relanced.toml"
printf '#!/bin/sh\ncp /root/relanced.toml "$1"\n' >"$DEBIAN_ROOT/root/editor"
chmod 755 "$DEBIAN_ROOT/root/editor"
deb=""
while IFS= read -r line; do
  [ -n "${line// /}" ] || continue
  say "README: $line"
  case "$line" in
    cargo\ *)
      # The build, on this machine. cargo-deb is already installed (.ci/run installs it).
      build=${line#cargo install cargo-deb --locked && }
      build=${build#cargo install cargo-deb && }
      case "$build" in cargo\ install\ cargo-deb*) continue ;; esac
      (cd "$REPO" && bash -o pipefail -c "$build") >"$WORK/build.log" 2>&1 \
        || { tail -30 "$WORK/build.log" >&2; fail "README build line failed: $build"; }
      deb=$(ls -t "$TARGET"/debian/relanced_*.deb | head -1)
      [ "$deb" -nt "$TARGET/release/relanced" ] || fail "no .deb newer than target/release/relanced in $TARGET/debian"
      # The command's ./target/debian/relanced_*.deb, inside: only the package just built.
      mkdir -p "$DEBIAN_ROOT/root/target/debian"
      cp "$deb" "$DEBIAN_ROOT/root/target/debian/"
      ;;
    *smtp-password*)
      # mail.transport is "files" here: the SMTP password is not written, and the service
      # must start without it.
      case "$line" in *'mail.transport = "smtp"'*) continue ;; esac
      fail "README: the smtp-password line does not say it is only for mail.transport = \"smtp\""
      ;;
    *odoo-api-key*/dev/stdin* | */dev/stdin*odoo-api-key*)
      printf '%s\n' "$BOT_KEY" | ct bash -c "cd /root && $line" || fail "README line failed: $line"
      ;;
    *sudoedit*)
      ct env SUDO_EDITOR=/root/editor bash -c "cd /root && $line" || fail "README line failed: $line"
      ;;
    *" check"*)
      ct bash -c "cd /root && $line" >"$WORK/check.out" 2>&1 \
        || { cat "$WORK/check.out" >&2; fail "README: relanced check does not pass before the first start"; }
      grep -q "read from /etc/relanced/credentials/odoo-api-key" "$WORK/check.out" \
        || { cat "$WORK/check.out" >&2; fail "check does not say where it read the credential from"; }
      ;;
    *)
      t_line=$(date +%s)
      ct bash -c "cd /root && DEBIAN_FRONTEND=noninteractive $line" </dev/null >"$WORK/line.log" 2>&1 \
        || { tail -30 "$WORK/line.log" >&2; fail "README line failed: $line"; }
      grep -E '^(Need to get|[0-9]+ upgraded)' "$WORK/line.log" >&2 || true
      say "  ($(($(date +%s) - t_line)) s)"
      find "$DEBIAN_ROOT/var/cache/apt/archives" -maxdepth 1 -name '*.deb' ! -name 'relanced_*' \
        -exec cp -n -t "$APT_CACHE/" {} + || true
      ;;
  esac
done <<<"$block"
[ -n "$deb" ] || fail "the README block never built the package"
say "README install block done"

# The package: what it installed and the dependencies it pulled.
ct dpkg-query -W -f='${Status}\n' relanced weasyprint | grep -vq "install ok installed" \
  && fail "relanced or weasyprint (recommended) not installed"
[ "$(ct stat -c '%U:%G %a' /etc/relanced/relanced.toml)" = "root:relanced-config 640" ] \
  || fail "/etc/relanced/relanced.toml is $(ct stat -c '%U:%G %a' /etc/relanced/relanced.toml), not root:relanced-config 640"
# The package does not depend on procps: nothing may need its kill(1). The kit's root file
# system has it; take it away.
ct sh -c 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq procps' >"$WORK/procps.log" 2>&1 \
  || { tail -5 "$WORK/procps.log" >&2; fail "cannot remove procps from the container"; }
ct test ! -e /bin/kill || fail "/bin/kill still present after removing procps"
ct dpkg-query -W -f='${Status}\n' relanced | grep -q "install ok installed" || fail "removing procps removed relanced"

# ---- The unit, as systemd 252 reads it.
ct systemd-analyze verify /usr/lib/systemd/system/relanced.service >"$WORK/verify.out" 2>&1 || true
if grep -v -e '^$' "$WORK/verify.out" | grep -q .; then
  cat "$WORK/verify.out" >&2
  fail "systemd-analyze verify (systemd 252) complains about relanced.service"
fi

# ---- Active, and the scheduled run (catch-up of today's 00:00 slot) finishes.
wait_for 30 sh -c "[ \"\$('$SYSTEMD_KIT/debian-exec' '$CT' systemctl is-active relanced)\" = active ]" \
  || fail "relanced did not become active"
wait_for 120 journal_has "run finished" || fail "the scheduled run did not finish within 120 s"
say "service active, first run finished"
pid1=$(prop MainPID)
status_has 'Status: "next run at' || fail "systemctl status shows no STATUS= from the daemon (Type=notify)"
outbox=$DEBIAN_ROOT/var/lib/private/relanced/outbox
emails=$(find "$outbox" -name '*.eml' | wc -l)
[ "$emails" -eq "$SMALL" ] || fail "$emails emails in the outbox, expected $SMALL"
pdf=$(find "$DEBIAN_ROOT/var/lib/private/relanced" -name '*.pdf' | head -1)
[ -n "$pdf" ] || fail "no PDF letter written: WeasyPrint under the sandbox?"
head -c 5 "$pdf" | grep -q '%PDF-' || fail "$pdf is not a PDF"
pdftotext "$pdf" - | grep -q "Petit 0" || fail "the letter $pdf does not name its customer"
marked=$(odoo_json2 res.partner search_read \
  "{\"domain\": [[\"id\", \"in\", [$SMALL_IDS]], [\"category_id.name\", \"=\", \"Relance 2 · Rappel standard\"]], \"fields\": [\"id\"]}" \
  | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') || fail "reading the markers from Odoo failed"
[ "$marked" -eq "$SMALL" ] || fail "$marked of $SMALL customers carry the marker tag in Odoo"
say "run 1: $emails emails, letter $(basename "$pdf") rendered, $marked markers in Odoo"
ct relanced -c /etc/relanced/relanced.toml healthcheck >/dev/null 2>&1 || fail "relanced healthcheck says the daemon is not ready"
curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" | grep -q . || fail "no Prometheus metrics on 127.0.0.1:$HTTP_PORT"

# ---- Reload with a broken configuration: refused, the running one kept, said in status.
write_config 'at = "25:99"' 3 >"$DEBIAN_ROOT/etc/relanced/relanced.toml"
ct systemctl reload relanced || fail "systemctl reload failed (ExecReload)"
wait_for 15 status_has "reload rejected, previous configuration kept" \
  || fail "systemctl status does not say the reload was rejected"
status_has "schedule.at" || fail "systemctl status does not name the key at fault (schedule.at)"
[ "$(ct systemctl is-active relanced)" = active ] && [ "$(prop MainPID)" = "$pid1" ] \
  || fail "the daemon did not survive a rejected reload"
say "broken reload refused: $(ct systemctl status relanced --no-pager | sed -n 's/^ *Status: //p')"

# ---- The watchdog restarts a hung daemon (lowered for the test through a drop-in).
# A valid configuration again; today's slot has run, so the daemon idles.
write_config 'at = "00:00"' 3 >"$DEBIAN_ROOT/etc/relanced/relanced.toml"
mkdir -p "$DEBIAN_ROOT/etc/systemd/system/relanced.service.d"
printf '[Service]\nWatchdogSec=3s\nRestartSec=1s\nTimeoutAbortSec=10s\n' \
  >"$DEBIAN_ROOT/etc/systemd/system/relanced.service.d/test-watchdog.conf"
ct systemctl daemon-reload
ct systemctl restart relanced || fail "relanced did not restart with the watchdog drop-in"
pid2=$(prop MainPID)
ct sh -c "kill -STOP $pid2" || fail "cannot SIGSTOP the daemon"
t_hang=$(date +%s)
wait_for 30 sh -c "[ \"\$('$SYSTEMD_KIT/debian-exec' '$CT' systemctl show relanced -p NRestarts --value)\" -ge 1 ]" \
  || fail "the watchdog did not restart the hung daemon within 30 s"
journal_has "Watchdog timeout" || fail "no 'Watchdog timeout' in the journal"
wait_for 30 sh -c "[ \"\$('$SYSTEMD_KIT/debian-exec' '$CT' systemctl is-active relanced)\" = active ]" \
  || fail "relanced not active again after the watchdog restart"
pid3=$(prop MainPID)
[ "$pid3" != "$pid2" ] || fail "same MainPID after the watchdog restart"
say "watchdog: hung daemon $pid2 restarted as $pid3 after $(($(date +%s) - t_hang)) s (NRestarts=$(prop NRestarts))"
rm "$DEBIAN_ROOT/etc/systemd/system/relanced.service.d/test-watchdog.conf"
ct systemctl daemon-reload

# ---- Upgrade (README "Upgrade"): the package again while the service runs.
pid_before=$(prop MainPID)
ct bash -c "cd /root && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall ./target/debian/$(basename "$deb")" \
  >"$WORK/upgrade.log" 2>&1 || { tail -20 "$WORK/upgrade.log" >&2; fail "reinstalling the package failed"; }
[ "$(ct stat -c '%U:%G %a' /etc/relanced/relanced.toml)" = "root:relanced-config 640" ] \
  || fail "after reinstalling, /etc/relanced/relanced.toml is $(ct stat -c '%U:%G %a' /etc/relanced/relanced.toml)"
wait_for 30 sh -c "[ \"\$('$SYSTEMD_KIT/debian-exec' '$CT' systemctl is-active relanced)\" = active ]" \
  || fail "relanced not active after the upgrade"
pid_after=$(prop MainPID)
[ "$pid_after" != "$pid_before" ] || fail "installing the package again did not restart the running service"
say "upgrade: the package restarted the service itself ($pid_before -> $pid_after), configuration still root:relanced-config 0640"

# ---- A configuration the service cannot read: exit 2, not restarted, the path said once
# with the fix.
chmod 0600 "$DEBIAN_ROOT/etc/relanced/relanced.toml"
ct systemctl restart relanced 2>/dev/null && fail "relanced started with a configuration it cannot read"
[ "$(prop ExecMainStatus)" = 2 ] || fail "unreadable configuration: exit status $(prop ExecMainStatus), expected 2"
line=$(ct journalctl -u relanced --no-pager -o cat | grep -F "cannot read the configuration file" | tail -1)
[ "$(grep -o /etc/relanced/relanced.toml <<<"$line" | wc -l)" = 1 ] \
  || fail "the unreadable-configuration error does not name the file exactly once: $line"
grep -q "Permission denied.*chgrp relanced-config" <<<"$line" || fail "the error does not say how to fix it: $line"
[ "$(prop ActiveState)/$(prop SubState)" = failed/failed ] \
  || fail "after exit 2 relanced is $(prop ActiveState)/$(prop SubState), not failed (RestartPreventExitStatus=2)"
say "unreadable configuration: exit 2, not restarted: $line"
chmod 0640 "$DEBIAN_ROOT/etc/relanced/relanced.toml"
ct systemctl start relanced || fail "relanced did not start once the configuration is readable again"

# ---- Exposure, as README.md states it.
exposure=$(ct systemd-analyze security relanced --no-pager | sed -n 's/^→ Overall exposure level for relanced.service: \([0-9.]*\).*/\1/p')
[ -n "$exposure" ] || fail "systemd-analyze security printed no overall exposure"
stated=$(sed -n 's/.*`systemd-analyze security` exposure \([0-9.]*\).*/\1/p' "$REPO/README.md" | head -1)
[ "$exposure" = "$stated" ] || fail "systemd-analyze security says exposure $exposure; README.md states ${stated:-nothing}"
say "systemd-analyze security: exposure $exposure (README: $stated)"

# ---- A good reload starts the slow run (every minute: due a minute after the first run;
# the level due at once: the big book); stop it half-way.
write_config 'interval_minutes = 1' 0 >"$DEBIAN_ROOT/etc/relanced/relanced.toml"
ct systemctl reload relanced || fail "systemctl reload failed"
wait_for 15 journal_has "configuration reloaded" || fail "the good configuration was not applied"
wait_for 120 sh -c "'$SYSTEMD_KIT/debian-exec' '$CT' systemctl status relanced --no-pager | grep -Eq 'running: ([3-9]|[1-9][0-9]+)/'" \
  || fail "the slow run did not get going (3 customers done within 120 s)"
t_stop=$(date +%s.%N)
ct systemctl stop relanced
stop_secs=$(python3 -c "import time; print(f'{time.time() - $t_stop:.1f}')")
journal_has "stop asked: finishing the customer in progress" || fail "the daemon did not say it finishes the customer in progress"
[ "$(prop Result)" = success ] && [ "$(prop ExecMainStatus)" = 0 ] \
  || fail "stop during a run: Result=$(prop Result) ExecMainStatus=$(prop ExecMainStatus), expected success/0"
say "stopped during the slow run in $stop_secs s, exit 0"

# ---- The ledger (service stopped): the slow run interrupted, nothing left half done.
ct relanced -c /etc/relanced/relanced.toml runs >"$WORK/runs.out" 2>&1 \
  || { cat "$WORK/runs.out" >&2; fail "relanced runs failed"; }
cat "$WORK/runs.out" >&2
run2=$(awk '$6 == "interrupted" {print $1; exit}' "$WORK/runs.out")
[ -n "$run2" ] || fail "no run recorded as interrupted (relanced runs)"
ct relanced -c /etc/relanced/relanced.toml show "$run2" >"$WORK/show.out" 2>&1 \
  || { cat "$WORK/show.out" >&2; fail "relanced show $run2 failed"; }
# Each customer of the stopped run: all its actions done (finished, the one in progress
# included), or none started (left for the next run). Nothing in between.
python3 - "$WORK/show.out" <<'PY' || { cat "$WORK/show.out" >&2; fail "run $run2 left a customer half done"; }
import re, sys
text = open(sys.argv[1]).read()
customers = {}
for block in re.split(r"\n(?=customer )", text)[1:]:
    head, *lines = block.strip().splitlines()
    customers[head] = {line.split()[0] for line in lines if line.strip()}
done = [c for c, s in customers.items() if s == {"done"}]
untouched = [c for c, s in customers.items() if s == {"planned"}]
half = {c: s for c, s in customers.items() if c not in done and c not in untouched}
assert not half, f"customers half done: {half}"
assert done, "no customer finished before the stop"
print(f"{len(done)} customers done, {len(untouched)} left planned", file=sys.stderr)
PY
say "ledger: run $run2 interrupted, no action left started"
say "PASS"
