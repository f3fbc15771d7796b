#!/bin/bash
# usage: benches/speed/ab.sh VERSION WORKERS ROUNDS BIN_A BIN_B (from the repository's root)
# `once` of two relanced binaries on the cached 4 000-customer book, alternating, each on
# a fresh copy of the book (odoo-new-db), mail to files; prints each run's wall time.
V=$1; W=$2; R=$3; A=$4; B=$5
here=$(dirname "$0")
ODOO_REAL=${ODOO_REAL:-$(cd "$here/../../../shared/odoo-real" && pwd)}
dir=$("$here/up.sh" $V 4000 $W 2>/dev/null | tail -1)
. $dir/env
export RELANCED_BENCH_KEY=$(cat $dir/key)
n=0
# warm-up: one plan
sed -i "s/database = \"[a-z0-9]*\"/database = \"book\"/" $dir/relanced.toml
$A --config $dir/relanced.toml plan >/dev/null 2>&1
for r in $(seq $R); do
  for bin in $A $B; do
    n=$((n+1))
    $ODOO_REAL/odoo-new-db $dir ab$n book >/dev/null 2>&1
    sed -i "s/database = \"[a-z0-9]*\"/database = \"ab$n\"/" $dir/relanced.toml
    rm -rf $dir/ledger.db* $dir/outbox
    start=$(date +%s.%N)
    line=$($bin --config $dir/relanced.toml once 2>&1 | grep "^Time:")
    end=$(date +%s.%N)
    tx=$(sqlite3 $dir/ledger.db "select count(*) from actions where state='done'")
    echo "$V w$W $(basename $bin) round $r: $(echo "$end - $start" | bc) s wall; done=$tx; $line"
  done
done
$ODOO_REAL/odoo-down $dir >/dev/null 2>&1
