#!/bin/sh
# Writes the shell completions packaged by cargo-deb (see [package.metadata.deb]):
#   cargo build --release && systemd/gen-completions.sh && cargo deb --no-build
set -eu
bin=${1:-${CARGO_TARGET_DIR:-target}/release/relanced}
mkdir -p target/completions
"$bin" completions bash > target/completions/relanced.bash
"$bin" completions zsh > target/completions/_relanced
"$bin" completions fish > target/completions/relanced.fish
