#!/usr/bin/env bash
# Policy packs from the command line: every bundled pack lints clean, every
# broken pack is refused with its expected file:line:column message, and
# list / show / diff answer as documented.
set -u
. "$(dirname "$0")/../lib.sh"

# 1. The bundled packs lint clean.
if "$shinsa" policy lint >"$tmp/out" 2>"$tmp/err"; then ok; else no "bundled packs do not lint clean:"; cat "$tmp/err"; fi
for id in anjo sendai kobe tokyo-ward otokuni; do
  if [ -f "$src/policies/$id.yaml" ]; then
    "$shinsa" policy lint "$src/policies/$id.yaml" 2>"$tmp/err" && ok || { no "lint $id"; cat "$tmp/err"; }
  fi
done
"$shinsa" policy lint "$src/tests/policy/base.yaml" 2>"$tmp/err" && ok || { no "lint base.yaml"; cat "$tmp/err"; }
"$shinsa" policy lint "$src/policies/vocabulary.yaml" 2>"$tmp/err" && ok || { no "lint vocabulary.yaml"; cat "$tmp/err"; }
mkdir -p "$tmp/voc" && cp "$src/policies/vocabulary.yaml" "$tmp/voc/" && \
  printf 'facts:\n  x.y: {type: boool, label: a, label_en: b, help: c}\n' > "$tmp/voc/facts-t.yaml"
"$shinsa" policy lint "$tmp/voc/facts-t.yaml" 2>"$tmp/err"; [ $? = 1 ] && grep -q "voc/facts-t.yaml:2:15: 事実の型 'boool' はありません / unknown fact type 'boool'" "$tmp/err" && ok || no "lint a facts file"

# 2. Each broken pack: refused (exit 1), with exactly the expected message and position.
n=0
while IFS= read -r want; do
  file=${want%%:*}
  n=$((n+1))
  "$shinsa" policy lint "$src/tests/policy/broken/$file" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  got=$(grep -v '件の誤り' "$tmp/err" | sed "s|^$src/tests/policy/broken/||")
  if [ "$rc" = 1 ] && [ "$got" = "$want" ]; then ok; else no "$file: exit $rc"; echo "  got:  $got"; echo "  want: $want"; fi
done < "$src/tests/policy/broken/expected.txt"
count=$(ls "$src"/tests/policy/broken/*.yaml | wc -l)
[ "$n" = "$count" ] && [ "$n" -ge 25 ] && ok || no "expected.txt lists $n cases for $count broken packs (need >= 25, one line each)"

# 3. list
"$shinsa" policy list --format json >"$tmp/list.json" 2>"$tmp/err" && ok || no "policy list --format json"
python3 - "$tmp/list.json" "$src/policies" <<'PY' && ok || no "policy list json"
import json, sys, os
packs = json.load(open(sys.argv[1]))
ids = [p["id"] for p in packs]
files = sorted(f[:-5] for f in os.listdir(sys.argv[2]) if f.endswith(".yaml") and f != "vocabulary.yaml" and not f.startswith("facts-"))
assert ids == files, (ids, files)
want = {"anjo": ["I", "II", "III"], "sendai": ["S", "I", "II", "III"], "kobe": ["1", "2", "3"],
        "tokyo-ward": ["all"], "otokuni": ["1", "2", "3"]}
for p in packs:
    assert set(p) == {"id", "body", "title", "version", "effective", "levels"}, p
    if p["id"] in want:
        assert p["levels"] == want[p["id"]], p
PY
"$shinsa" policy list >"$tmp/list.txt" 2>/dev/null && grep -q '^anjo  *安城市' "$tmp/list.txt" && ok || no "policy list table"

# 4. show
"$shinsa" policy show anjo --level II --format json >"$tmp/show.json" 2>"$tmp/err" && ok || no "policy show anjo"
python3 - "$tmp/show.json" <<'PY' && ok || no "policy show anjo json"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["id"] == "anjo" and p["level"] == "II"
by = {c["id"]: c for c in p["criteria"]}
# 第7条(1) ISO 27001 is required; (3) 努めること is recommended, not required
assert by["7-1-1"]["obligation"] == "required", by["7-1-1"]
assert by["7-1-3"]["obligation"] == "recommended", by["7-1-3"]
assert any(e["id"] == "10" for e in p["exemptions"])
PY
"$shinsa" policy show anjo >/dev/null 2>&1 && ok || no "policy show anjo (table)"
"$shinsa" policy show nosuch >/dev/null 2>"$tmp/err"; [ $? = 2 ] && grep -q "no pack 'nosuch'" "$tmp/err" && ok || no "show unknown pack"
"$shinsa" policy show anjo --level IV >/dev/null 2>"$tmp/err"; [ $? = 2 ] && grep -q "'IV' is not a level of anjo" "$tmp/err" && ok || no "show unknown level"
"$shinsa" policy show anjo --format xml >/dev/null 2>"$tmp/err"; [ $? = 2 ] && ok || no "show bad format"

# 5. diff
"$shinsa" policy diff anjo sendai --level-a II --level-b I >"$tmp/diff.txt" 2>"$tmp/err" && ok || no "policy diff"
grep -q '準拠法' "$tmp/diff.txt" && grep -q '安城市（II）' "$tmp/diff.txt" && grep -q '仙台市（I）' "$tmp/diff.txt" && ok || no "diff table content"
"$shinsa" policy diff anjo sendai --level-a II --level-b I --format json >"$tmp/diff.json" 2>/dev/null && \
python3 - "$tmp/diff.json" <<'PY' && ok || no "diff json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["a"] == {"policy": "anjo", "level": "II"} and d["b"] == {"policy": "sendai", "level": "I"}
t = {x["topic"]: x for x in d["topics"]}
assert "law" in t and t["law"]["a"] == "required" and t["law"]["b"] == "required" and t["law"]["comparison"] == "same"
s = d["summary"]; assert s["same"] + s["a_stricter"] + s["b_stricter"] == len(d["topics"])
PY
"$shinsa" policy diff anjo >/dev/null 2>&1; [ $? = 2 ] && ok || no "diff with one pack"
"$shinsa" policy diff anjo sendai --level-b X >/dev/null 2>"$tmp/err"; [ $? = 2 ] && grep -q "'X' is not a level of sendai" "$tmp/err" && ok || no "diff bad level"
"$shinsa" policy frob >/dev/null 2>&1; [ $? = 2 ] && ok || no "unknown subcommand"
"$shinsa" policy --help >/dev/null 2>&1 && ok || no "policy --help"

# 6. facts: the vocabulary, and docs/facts.md generated from it
"$shinsa" policy facts --format json >"$tmp/facts.json" 2>"$tmp/err" && ok || no "policy facts json"
python3 - "$tmp/facts.json" <<'PY' && ok || no "facts json content"
import json, sys
f = {x["path"]: x for x in json.load(open(sys.argv[1]))}
for p in ["service.model", "cert.ismap", "legal.governing_law", "data.regions", "log.retention_days",
          "deletion.standard", "app.classification", "crypto.transit.tls_versions"]:
    assert p in f, p
assert f["service.model"]["values"] == ["iaas", "paas", "saas"]
assert f["deletion.standard"]["values"] == ["nist-purge", "nist-destroy", "nist-clear", "iso27001", "vendor", "none"]
assert f["data.regions"]["type"] == "list" and f["data.regions"]["items"] == "country"
PY
if "$shinsa" policy facts --format markdown | diff -q - "$src/docs/facts.md" >/dev/null; then ok
else no "docs/facts.md is out of date: run 'shinsa policy facts --format markdown > docs/facts.md'"; fi

# 7. shinsa.in_list against the project's CRYPTREC list (policies/reference/cryptrec.yaml)
inlist() {  # NAMES_JSON WANT
  local got
  got=$("$shinsa" logic eval "{\"shinsa.in_list\":[$1,\"cryptrec.recommended\"]}" 2>/dev/null)
  [ "$got" = "$2" ] && ok || no "in_list $1: got $got, want $2"
}
inlist '["AES-256-GCM"]' true
inlist '["TLS_AES_128_GCM_SHA256","TLS_CHACHA20_POLY1305_SHA256"]' true
inlist '["ECDHE-RSA-AES256-GCM-SHA384"]' true
inlist '["RSA 2048"]' true
inlist '["Camellia-128-CBC","SHA-512/256"]' true
inlist '["3DES"]' false
inlist '["RC4-MD5"]' false
inlist '["TLS_RSA_WITH_AES_128_CBC_SHA"]' false
inlist '["AES-256-GCM","SHA-1"]' false
inlist '[]' false
"$shinsa" logic eval '{"shinsa.in_list":[["3DES"],"cryptrec.recommended"]}' 2>"$tmp/err" >/dev/null
grep -q "'3DES' is not on the list" "$tmp/err" && ok || no "in_list names what it could not place"
"$shinsa" logic eval '{"shinsa.in_list":[["AES"],"cryptrec.nosuch"]}' >/dev/null 2>"$tmp/err"; [ $? = 2 ] && grep -q "unknown reference list" "$tmp/err" && ok || no "unknown reference list"

finish
