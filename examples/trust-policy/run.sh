#!/usr/bin/env bash
# The trust policy end to end on a fresh local server: a key trusted for evaluations and dataset checks, an attested
# dataset check and robustness evaluation that count, and the same evaluation signed by an untrusted key that is
# refused. Run from anywhere: examples/trust-policy/run.sh (it uses ./rampart, which builds itself on first use).
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
server=""
trap '[[ -n "$server" ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
port="${PORT:-18089}"

./rampart server --data-dir "$work/data" --port "$port" >"$work/server.out" 2>"$work/server.err" &
server=$!
for _ in $(seq 120); do grep -q RAMPART_TOKEN "$work/server.out" 2>/dev/null && break; sleep 1; done
eval "$(grep export "$work/server.out")"
curl -sf -H "Authorization: Bearer $RAMPART_TOKEN" -d '{"name":"iris"}' "$RAMPART_URL/api/v1/projects" >/dev/null

# 1. The trust policy: which key may attest which kind of fact
for k in release evaluator stranger; do ./rampart keygen -o "$work/$k.pem" >/dev/null; done
./rampart key trust iris release "$work/release.pub.pem" --may provenance >/dev/null
./rampart key trust iris evaluator "$work/evaluator.pub.pem" --may dataset-check,robustness,backdoor,llm >/dev/null
./rampart key list iris

# 2. A dataset: registered by digest; its verdict comes only from a signed check
data=data/src/test/resources/datasets/clean/breast_cancer.csv.gz
./rampart dataset register iris breast-cancer --path "$data" >/dev/null
./rampart data check "$data" --label label -q --attest "$work/evaluator.pem" --attestation "$work/check.json" >/dev/null || true
./rampart attest iris "$work/check.json"

# 3. A model: evaluated and attested about the folder it is uploaded as, then signed and uploaded
mkdir -p "$work/clf"
cp eval/src/test/resources/models/breast_cancer_logreg.onnx "$work/clf/"
for signer in evaluator stranger; do
  ./rampart eval robustness "$work/clf/breast_cancer_logreg.onnx" --data "$data" --label label --eps 0.05 \
    --budget 100 --samples 60 -q --attest "$work/$signer.pem" --attest-subject "$work/clf" \
    --attestation "$work/robustness-$signer.json" >/dev/null || true
done
./rampart sign "$work/clf" --key "$work/release.pem" >/dev/null
./rampart model upload iris clf "$work/clf" >/dev/null

./rampart attest iris "$work/robustness-evaluator.json"          # verified: attestedBy evaluator
if ./rampart attest iris "$work/robustness-stranger.json"; then   # refused: the stranger's key is not trusted
  echo "an untrusted attestation was accepted" >&2; exit 1
fi

# 4. Revoking the evaluator withdraws its facts at once: they are shown, but no longer verified
./rampart key revoke iris evaluator >/dev/null
digest="$(./rampart model show iris clf 1 | sed -n 's/^  "digest" : "\(.*\)",$/\1/p')"
curl -sf -H "Authorization: Bearer $RAMPART_TOKEN" "$RAMPART_URL/api/v1/projects/iris/attestations/$digest" \
  | grep -o '"verified":[a-z]*' | sort | uniq -c
echo "trust policy example: OK"
