#!/usr/bin/env bash
# Runs `strata ci` on an image archive and writes its reports: the gate step of action.yml.
#   STRATA_IMAGE       the `docker save` / OCI archive (required)
#   STRATA_CONFIG      a .strata.yaml or .dive-ci (default: strata's own lookup in the working directory)
#   STRATA_ARGS        more arguments for `strata ci` (split on spaces)
#   STRATA_REPORTS     folder for the reports (default $RUNNER_TEMP/strata-report)
# Writes REPORTS/junit.xml, REPORTS/summary.md and REPORTS/report.html (the HTML report of the image);
# `strata ci` itself appends the summary to $GITHUB_STEP_SUMMARY when it is set. Exits with
# `strata ci`'s code: 0 pass, 1 a rule failed, 2 an error.
set -uo pipefail
image=${STRATA_IMAGE:?STRATA_IMAGE is not set}
reports=${STRATA_REPORTS:-${RUNNER_TEMP:-/tmp}/strata-report}
mkdir -p "$reports"

arguments=(ci "$image" --junit "$reports/junit.xml" --markdown "$reports/summary.md")
[ -n "${STRATA_CONFIG:-}" ] && arguments+=(--config "$STRATA_CONFIG")
# shellcheck disable=SC2206 # extra arguments are split on spaces on purpose
[ -n "${STRATA_ARGS:-}" ] && arguments+=($STRATA_ARGS)
strata "${arguments[@]}"
status=$?
# The page is for people reading the artifact; a failure to write it must not hide the verdict.
strata analyze "$image" --format html -o "$reports/report.html" || echo "strata: the HTML report was not written" >&2
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "result=$([ $status -eq 0 ] && echo pass || { [ $status -eq 1 ] && echo fail || echo error; })" >> "$GITHUB_OUTPUT"
  echo "reports=$reports" >> "$GITHUB_OUTPUT"
fi
exit $status
