#!/usr/bin/env bash
# Runs each wxpay fuzz target for a fixed number of executions, starting from seeds that
# wxpay's own encoders generate. Not part of CI. cargo-fuzz needs a nightly toolchain;
# without one this falls back to replaying the seeds and saved corpus on stable.
#
# Usage: fuzz/run.sh [RUNS]   (RUNS executions per target, default 200000)
# FUZZ_REPLAY_ONLY=1 skips cargo-fuzz and only replays on stable.
set -euo pipefail

cd "$(dirname "$0")"
runs="${1:-200000}"
targets=(xml_decode bill_parse refund_notify_decrypt)

replay_on_stable() {
    echo "Replaying seeds and saved inputs on stable instead (no coverage-guided fuzzing)."
    cargo test --no-default-features
}

echo "Generating seeds into corpus/"
cargo run --quiet --no-default-features --bin seeds

if [ "${FUZZ_REPLAY_ONLY:-0}" = 1 ]; then
    replay_on_stable
    exit 0
fi

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "No nightly toolchain is installed; trying: rustup toolchain install nightly --profile minimal"
    if ! rustup toolchain install nightly --profile minimal; then
        echo "A nightly toolchain could not be installed here, and cargo-fuzz needs one."
        replay_on_stable
        exit 0
    fi
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing; installing it with: cargo install cargo-fuzz --locked"
    if ! cargo install cargo-fuzz --locked; then
        echo "cargo-fuzz could not be installed."
        replay_on_stable
        exit 0
    fi
fi

for target in "${targets[@]}"; do
    echo "== $target: $runs runs"
    cargo +nightly fuzz run "$target" "corpus/$target" -- \
        -runs="$runs" -max_len=65536 -timeout=10 -print_final_stats=1
done

# The new corpus entries also replay on stable, so a crash found here becomes a test.
cargo test --no-default-features
