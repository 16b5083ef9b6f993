#!/usr/bin/env bash
# The main job on the bundled demo case: read it, propose, accept every proposal as
# reviewer "demo", release the verified clean copy to ./out/SAR-DEMO-001/.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export CLEANCOPY_HOME=${CLEANCOPY_HOME:-.cleancopy}
case_dir=${1:-demo/SAR-DEMO-001}
case_id=$(.venv/bin/python -c "import sys,yaml; print(yaml.safe_load(open(sys.argv[1]))['case_id'])" "$case_dir/case.yaml")
out=${2:-out/$case_id}
set +e
.venv/bin/cleancopy run "$case_dir"; rc=$?
set -e
[ $rc = 0 ] || [ $rc = 3 ] || exit $rc
.venv/bin/cleancopy proposals "$case_id" | tail -n 15
# decisions are made by a reviewer account: the demo makes its own (re-adding it is harmless)
.venv/bin/cleancopy reviewer add "Demo Head" --role head --password "demo password $(date +%s%N)" >/dev/null
.venv/bin/cleancopy decide "$case_id" --reviewer "Demo Head" --accept-all
.venv/bin/cleancopy release "$case_id" --out "$out"
.venv/bin/cleancopy status "$case_id"
echo
echo "The clean copy is at $out/clean-copy.pdf (one PDF per source file beside it, and schedule.csv)."
