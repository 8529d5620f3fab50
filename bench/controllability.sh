#!/usr/bin/env bash
# Issue #6 "must hold" measurements on a pretrained sandbox base, with repository commands only:
#   1. SFT model + prompt pool      ./salmon phases1-measure   (also prints issue #5's gain kept / judge agreement)
#   2. reward model                 ./salmon phases2 rm-rehearsal --register   (oracle grader labels, not the AI judge)
#   3. controllability              two ./salmon phases2 ppo runs differing in ONE RL principle (Concise vs Detailed),
#                                   ./salmon phases2 evaluate of SFT and both policies on the test split
#   4. intervention (INTERVENTION=1) a set rewarding self-praise (padding) vs the same set plus intervention principles
#   ARMS="salmon-default ..." runs PPO with any set file of bench/controllability/principles/ or principles/
#
# Usage: BASE=/work/runs/tiny-r1 OUT=/tmp/ctl bench/controllability.sh
# Reuse earlier artifacts (ids in the same database) by setting SFT, PROMPTS and/or RM; PPO settings are in
# bench/controllability/ppo.json (PPO_CONFIG overrides), the principle sets in bench/controllability/principles/. Use a database and store of your own:
#   SALMON_DB_URL=jdbc:postgresql://127.0.0.1:5432/salmon_ctl SALMON_STORE=/tmp/ctl/store
# Prints one summary line per model and writes $OUT/summary.json. Figures are whatever the run measures.
set -euo pipefail
shopt -s inherit_errexit  # a failing command inside $(...) stops the script too
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
BASE=${BASE:?set BASE to a pretrained sandbox base directory (salmon sandbox pretrain --out)}
OUT=${OUT:-/tmp/salmon-controllability}
NICE=${NICE:-5}
POOL=${POOL:-600}; TEST=${TEST:-120}; PAIRS=${PAIRS:-120}
RM_STEPS=${RM_STEPS:-300}; RM_PAIRS=${RM_PAIRS:-300}
EVAL_N=${EVAL_N:-100}; EVAL_TOKENS=${EVAL_TOKENS:-128}
PPO_CONFIG=${PPO_CONFIG:-bench/controllability/ppo.json}
# The system prompt phases1-measure engraves the SFT model with (SandboxEval.SYSTEM_PROMPT); PPO and evaluation
# must query the policy with the same one.
SYSTEM="Salmon is an AI assistant that answers questions from users."
mkdir -p "$OUT"
run() { nice -n "$NICE" ./salmon "$@"; }
log() { echo "[$(date +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)] $*" | tee -a "$OUT/progress.log" >&2; }

if [ -z "${SFT:-}" ] || [ -z "${PROMPTS:-}" ]; then
  log "phases1-measure --pool $POOL --test $TEST --pairs $PAIRS"
  # Exit 1 means "a phases I target was not met": the artifacts are still there and still usable.
  # PHASES1_ARGS=--judge-with-base: on tiny-r1 the engraved judge decided no pair (see docs/phases-2.md).
  run phases1-measure --base "$BASE" --pool "$POOL" --test "$TEST" --pairs "$PAIRS" ${PHASES1_ARGS:-} \
      --out "$OUT/phases1.json" > "$OUT/phases1.log" || [ $? -eq 1 ]
  SFT=$(jq -e '.artifacts.engrave' "$OUT/phases1.json")
  PROMPTS=$(jq -e '.artifacts["prompt-pool"]' "$OUT/phases1.json")
  jq -c '{gainKept, baseComposite, selfAlignComposite, engravedComposite, judgeTargetMet,
          judge: [.judge[] | select(.gradable) | {principle, graderPairs, graderAgreement}]}' "$OUT/phases1.json" \
      | tee -a "$OUT/progress.log"
fi
log "SFT checkpoint $SFT, prompt pool $PROMPTS"

if [ -z "${RM:-}" ]; then
  log "rm-rehearsal --steps $RM_STEPS --pairs-per-principle $RM_PAIRS --register"
  run phases2 rm-rehearsal --base "$BASE" --steps "$RM_STEPS" --batch-pairs 16 --pairs-per-principle "$RM_PAIRS" \
      --eval-pairs 40 --lr 1e-3 --register > "$OUT/rm.json" 2> "$OUT/rm.log"
  RM=$(jq -e '.reward_model_artifact_id' "$OUT/rm.json")
fi
log "reward model $RM"

set_id() { # an experiment set of bench/controllability/principles/, else a shipped one (e.g. salmon-default)
  local f="bench/controllability/principles/$1.yaml"; [ -f "$f" ] || f="principles/$1.yaml"
  run principles import "$f" --json | jq -e '.id'
}

ppo() { # name principle-set-file -> final policy checkpoint id
  local sid; sid=$(set_id "$2")
  log "ppo $1 (principle set $2 = id $sid)"
  run phases2 ppo --sft "$SFT" --reward-model "$RM" --prompts "$PROMPTS" --principles "$sid" \
      --config "$PPO_CONFIG" --system-prompt "$SYSTEM" > "$OUT/ppo-$1.json" 2> "$OUT/ppo-$1.log"
  jq -e '.checkpointArtifactId' "$OUT/ppo-$1.json"
}

evaluate() { # name checkpoint-id
  log "evaluate $1 (checkpoint $2)"
  run phases2 evaluate --model "$2" --reference "$SFT" --split test -n "$EVAL_N" --max-new-tokens "$EVAL_TOKENS" \
      --system-prompt "$SYSTEM" > "$OUT/eval-$1.json" 2> "$OUT/eval-$1.log"
  jq -c --arg m "$1" '{model: $m, evaluation: .evaluation_artifact_id} + .report' "$OUT/eval-$1.json" \
      | tee -a "$OUT/progress.log"
}

ARMS=${ARMS:-"rl-concise rl-detailed"}
[ "${INTERVENTION:-0}" = 1 ] && ARMS="$ARMS rl-selfpraise rl-selfpraise-intervened rl-padding rl-padding-intervened"
[ -f "$OUT/eval-sft.json" ] || evaluate sft "$SFT"
for arm in $ARMS; do
  [ -f "$OUT/eval-$arm.json" ] && continue
  ckpt=$(ppo "$arm" "$arm")
  evaluate "$arm" "$ckpt"
done

jq -s 'map({(.model): .}) | add' <(for f in "$OUT"/eval-*.json; do
  jq -c --arg m "$(basename "$f" .json | sed 's/^eval-//')" '{model: $m} + .report' "$f"; done) > "$OUT/summary.json"
if [ -f "$OUT/eval-rl-concise.json" ] && [ -f "$OUT/eval-rl-detailed.json" ]; then
  jq -r '"length ratio detailed/concise: tokens \(."rl-detailed".meanTokens / ."rl-concise".meanTokens), chars \(."rl-detailed".meanChars / ."rl-concise".meanChars) (target >= 1.5)"' \
      "$OUT/summary.json" | tee -a "$OUT/progress.log"
fi
log "done: $OUT/summary.json"
