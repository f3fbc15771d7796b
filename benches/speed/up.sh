#!/bin/bash
# usage: benches/speed/up.sh VERSION N WORKERS (from the repository's root)
# Starts a real Odoo (../shared/odoo-real), restores the book `cargo bench --bench speed`
# cached (under $CARGO_TARGET_DIR or target/, speed-book/) as database "book", writes
# DIR/relanced.toml (the bench's configuration, mail to files) and DIR/key (the bot's API
# key, read from $RELANCED_BENCH_KEY), and prints DIR. Stop it with odoo-down DIR.
set -e
V=$1; N=$2; W=${3:-0}
ODOO_REAL=${ODOO_REAL:-$(cd "$(dirname "$0")/../../../shared/odoo-real" && pwd)}
dir=$("$ODOO_REAL/odoo-up" $V --workers $W | tail -1)
. "$dir/env"
cache=$(ls -d "${CARGO_TARGET_DIR:-target}"/speed-book/$V-$N-* 2>/dev/null | head -1)
[ -n "$cache" ] || { echo "no cached book of $N customers for $V: run cargo bench --bench speed first" >&2; exit 1; }
PGB=$ODOO_PG_BIN
"$PGB/createdb" -h 127.0.0.1 -p $ODOO_PG_PORT -U odoo book
"$PGB/pg_restore" -h 127.0.0.1 -p $ODOO_PG_PORT -U odoo -d book --no-owner --role=odoo $cache/book.dump
rm -rf "$dir/data/filestore/book"; cp -r $cache/filestore "$dir/data/filestore/book"
key=$(sed 's/.*"key": "\([0-9a-f]*\)".*/\1/' $cache/answer.json)
proto=xmlrpc; [ $V = 19.0 ] && proto=json2
cat > $dir/relanced.toml <<EOT
[odoo]
url = "$ODOO_URL"
database = "book"
login = "relance-bot@relance-test.example"
api_key = { env = "RELANCED_BENCH_KEY" }
protocol = "$proto"
companies = [1]
timeout_secs = 300
page_size = 2000

[ledger]
url = "sqlite://$dir/ledger.db"

[render]
default_lang = "fr"

[followup]
fallback_user = 2

[[strategy]]
name = "S"
default = true
min_amount = { EUR = 5.0 }
min_interval_days = 7

[[strategy.level]]
key = "amical"
label = "Rappel amical"
offset_days = 3
actions = ["email"]
marker = { tag = "Relance 1", color = 10 }

[mail]
transport = "files"
from = "Compta <compta@relance-test.example>"
outbox_dir = "$dir/outbox"
EOT
echo "$key" > $dir/key
echo $dir
