#!/bin/bash
# usage: benches/speed/smtp_ab.sh VERSION WORKERS DELAY "label:bin:limit" ... (from the root)
# `once` on the cached 4 000-customer book with mail through SMTP to aiosmtpd taking DELAY
# seconds per message (tests/common/smtp/maildir_server.py --data-delay), one run per
# "label:binary:odoo.max_concurrency"; prints the wall time, the messages received and the
# most the server held at once.
V=$1; W=$2; D=$3; shift 3
here=$(dirname "$0")
ODOO_REAL=${ODOO_REAL:-$(cd "$here/../../../shared/odoo-real" && pwd)}
SERVER=$(cd "$here/../../tests/common/smtp" && pwd)/maildir_server.py
dir=$("$here/up.sh" $V 4000 $W 2>/dev/null | tail -1)
. $dir/env
export RELANCED_BENCH_KEY=$(cat $dir/key)
sed -i "s/database = \"[a-z0-9]*\"/database = \"book\"/" $dir/relanced.toml
python3 - "$dir/relanced.toml" <<'PY'
import sys,re
p=sys.argv[1]; s=open(p).read()
s=s.replace('transport = "files"','transport = "smtp"')
s+='\n[mail.smtp]\nhost = "127.0.0.1"\nport = SMTPPORT\ntls = "none"\ntimeout_secs = 30\n'
open(p,'w').write(s)
PY
n=0
for spec in "$@"; do
  label=${spec%%:*}; rest=${spec#*:}; bin=${rest%%:*}; limit=${rest#*:}
  n=$((n+1))
  m=$(mktemp -d)
  python3 "$SERVER" --maildir $m/Maildir --events $m/events.log --data-delay $D > $m/ready < <(sleep 100000) &
  spid=$!
  for i in $(seq 50); do grep -q READY $m/ready 2>/dev/null && break; sleep 0.1; done
  port=$(awk '{print $2}' $m/ready)
  sed -i "s/^port = .*/port = $port/" $dir/relanced.toml
  $ODOO_REAL/odoo-new-db $dir sm$n book >/dev/null 2>&1
  sed -i "s/database = \"[a-z0-9]*\"/database = \"sm$n\"/" $dir/relanced.toml
  rm -rf $dir/ledger.db* $dir/outbox
  start=$(date +%s.%N)
  line=$(RELANCED__ODOO__MAX_CONCURRENCY=$limit $bin --config $dir/relanced.toml once 2>&1 | grep -E "^Time:|^Emails")
  end=$(date +%s.%N)
  got=$(ls $m/Maildir/new | wc -l); most=$(grep INFLIGHT $m/events.log | awk '{print $2}' | sort -n | tail -1)
  echo "$V w$W delay $D $label (limit $limit): $(echo "$end - $start" | bc) s; received $got; most in flight $most; $line" | tr '\n' ' '; echo
  kill $spid; pkill -f "maildir_server.py --maildir $m" ; rm -rf $m
done
$ODOO_REAL/odoo-down $dir >/dev/null 2>&1
