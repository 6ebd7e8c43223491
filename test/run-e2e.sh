#!/usr/bin/env bash
# Integration suites run under Node's own test runner: NestJS 12 ships ES modules, which Node 20
# loads natively (require(esm)) but Jest's module system on Node 20 does not. ts-node compiles
# the TypeScript (with decorator metadata) as it loads.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(find test -name '*.e2e-spec.ts' | sort)
if [ "$#" -gt 0 ]; then files="$*"; fi
export TS_NODE_TRANSPILE_ONLY=true TS_NODE_PROJECT=tsconfig.json
# --test-force-exit: once every test has finished, a handle some failure left open (a server,
# a socket, a timer) cannot keep the run alive: CI reports the failure instead of hanging.
exec node --require ts-node/register --test --test-force-exit --test-concurrency=1 --test-reporter=spec $files
