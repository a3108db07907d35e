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
    "$shinsa" policy lint "$src/policies/$id.yaml" >/dev/null 2>"$tmp/err" && ok || { no "lint $id"; cat "$tmp/err"; }
  fi
done
"$shinsa" policy lint "$src/tests/policy/base.yaml" >/dev/null 2>"$tmp/err" && ok || { no "lint base.yaml"; cat "$tmp/err"; }
"$shinsa" policy lint "$src/policies/vocabulary.yaml" >/dev/null 2>"$tmp/err" && ok || { no "lint vocabulary.yaml"; cat "$tmp/err"; }
mkdir -p "$tmp/voc" && cp "$src/policies/vocabulary.yaml" "$tmp/voc/" && \
  printf 'facts:\n  x.y: {type: boool, label: a, label_en: b, help: c}\n' > "$tmp/voc/facts-t.yaml"
"$shinsa" policy lint "$tmp/voc/facts-t.yaml" 2>"$tmp/err"; [ $? = 1 ] && grep -q "voc/facts-t.yaml:2:15: 事実の型 'boool' はありません（string, bool, integer, date, enum, list, country） / unknown fact type 'boool'" "$tmp/err" && ok || no "lint a facts file"

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
    assert set(p) == {"id", "body", "title", "version", "effective", "levels", "not_governed"}, p
    if p["id"] in want:
        assert p["levels"] == want[p["id"]], p
assert [p["not_governed"] for p in packs if p["id"] == "kobe"] == [["1"]]
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

# 4b. forms as the paper has them (issue #11 point 6)
for id in anjo sendai kobe tokyo-ward otokuni; do
  "$shinsa" policy show "$id" --format json >"$tmp/forms-$id.json" 2>"$tmp/err" || no "policy show $id json"
done
python3 - "$tmp" <<'PY' && ok || no "forms in policy show json"
import json, sys
t = sys.argv[1]
P = {i: json.load(open(f"{t}/forms-{i}.json")) for i in ["anjo", "sendai", "kobe", "tokyo-ward", "otokuni"]}
for i, p in P.items():
    ids = {c["id"] for c in p["criteria"]} | {g["id"] for g in p["groups"]} | {r["id"] for r in p["risks"]}
    assert p["paper"] is not None, i
    for f in p["forms"]:
        assert set(f) >= {"id", "title", "name", "subtitle", "body_form", "levels", "header", "fields", "sections", "footnotes"}, f.keys()
        for s in f["sections"]:
            cols = [c["id"] for c in s["columns"]]
            for r in s["rows"]:
                assert list(r["cells"]) == cols, (i, r)
                assert set(r["reports"]) <= ids, (i, r)
a = {f["id"]: f for f in P["anjo"]["forms"]}
f2 = a["form2"]
assert [s["title"] for s in f2["sections"]][0] == "１　リスク確認事項"
assert [c["title"] for c in f2["sections"][0]["columns"]] == ["No", "考慮すべきリスク", "リスク受容可否"]
assert sum(len(s["rows"]) for s in f2["sections"]) == 42
assert f2["sections"][1]["rows"][0]["cells"]["answer"] == {"boxes": ["確認済（不適切と考えられるものなし）"]}
assert f2["sections"][0]["rows"][0]["reports"] == ["4-3-2"]
assert [x["label"] for x in a["form1"]["fields"]][:3] == ["利用サービスの名称", "サービス提供事業者", "利用目的（業務内容）"]
assert a["form3"]["fields"][-1]["summary"] is True and a["form3"]["levels"] == ["III"]
assert all(not s["rows"] or True for s in a["form3"]["sections"]) and a["form3"]["sections"] == []
risks = {r["id"]: r for r in P["anjo"]["risks"]}
assert risks["4-3-1"]["obligation"] == {"I": "not-applicable", "II": "not-applicable", "III": "not-applicable"}
assert risks["4-3-2"]["obligation"]["III"] == "not-applicable"
b = P["sendai"]["forms"][0]["sections"][0]
assert [c["title"] for c in b["columns"]][-1] == "チェック"
rows = {r["id"]: r["cells"] for r in b["rows"]}
assert rows["5-1"]["I"] == "任意 【要件を満たすことを推奨】" and rows["8-1"]["S"] == "※原則必須 N8-1を満たさない場合は、N8-2必須"
assert rows["1"]["item"] == "法律について" and rows["8-1"]["item"] == "データ消去の規格"
assert P["sendai"]["forms"][0]["sections"][0]["footnotes"][0].startswith("※原則、契約終了時に")
w = P["tokyo-ward"]["forms"][0]["sections"]
assert [c["title"] for c in w[0]["columns"]] == ["No", "大区分", "小区分", "確認事項（対策）", "補足説明"]
assert [c["title"] for c in w[1]["columns"]] == ["No", "大区分", "確認事項（対策）", "補足説明"]
k = P["kobe"]
assert k["paper"]["forms"] == "none" and k["paper"]["ledger"] == "none"
assert all(not f["body_form"] for f in k["forms"]) and "様式ではない" in k["forms"][0]["title"]
assert P["otokuni"]["paper"] == {"forms": "none", "ledger": "listed", "text": P["otokuni"]["paper"]["text"]} and P["otokuni"]["forms"] == []
PY
"$shinsa" policy show anjo --level II >"$tmp/show-forms.txt" 2>/dev/null
# the procedure names its forms by their titles, as evaluate does
grep -q "^手続（I・II）: .*様式 様式第１（第５条関係）・様式第２（第５条関係）$" "$tmp/show-forms.txt" \
  && ok || no "policy show names forms by title"
grep -q "^様式 form2: 様式第２（第５条関係）　クラウドサービス利用届出時確認事項（重要性分類Ⅰ又は重要性分類Ⅱの情報を取り扱う場合）（この団体の様式）" "$tmp/show-forms.txt" \
  && grep -q "列: No / 考慮すべきリスク / リスク受容可否" "$tmp/show-forms.txt" && ! grep -q "^様式 form3" "$tmp/show-forms.txt" \
  && ok || { no "policy show lists the forms with their rows"; cat "$tmp/show-forms.txt" | tail -20; }
"$shinsa" policy show kobe >"$tmp/show-kobe.txt" 2>/dev/null
grep -q "^様式: 原文に様式はない" "$tmp/show-kobe.txt" && grep -q "shinsa の書式。この団体の様式ではない" "$tmp/show-kobe.txt" \
  && ok || no "policy show kobe: no form in the seed, shinsa's layout labelled"

# 5. diff
"$shinsa" policy diff anjo sendai --level-a II --level-b I >"$tmp/diff.txt" 2>"$tmp/err" && ok || no "policy diff"
grep -q '準拠法' "$tmp/diff.txt" && grep -q '安城市（II）' "$tmp/diff.txt" && grep -q '仙台市（I）' "$tmp/diff.txt" && ok || no "diff table content"
"$shinsa" policy diff anjo sendai --level-a II --level-b I --format json >"$tmp/diff.json" 2>/dev/null && \
python3 - "$tmp/diff.json" <<'PY' && ok || no "diff json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["a"]["policy"] == "anjo" and d["a"]["level"] == "II" and d["a"]["body"] == "安城市"
assert d["b"]["policy"] == "sendai" and d["b"]["level"] == "I"
t = {x["topic"]: x for x in d["topics"]}
assert "law" in t and t["law"]["a"] == "required" and t["law"]["b"] == "required" and t["law"]["comparison"] == "same"
# values as well as words: a view lays the items out itself
assert t["law"]["topic_ja"] and t["law"]["comparison_ja"] == "同等（双方必須）", t["law"]
assert any(i["id"] == "7-1-2" and i["obligation"] == "required" and i["kind"] == "criterion" for i in t["law"]["a_list"])
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

# 8. lint's summary, and what a file system can get wrong (issue #10)
npk=$(ls "$src"/policies/*.yaml | grep -v -e '/vocabulary.yaml$' -e '/facts-' | wc -l)
"$shinsa" policy lint >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && [ ! -s "$tmp/err" ] && \
  grep -qE "^[0-9]+ 個の基準ファイル（パック $npk 個）に誤りはありません / [0-9]+ policy files \($npk packs\), no problems$" "$tmp/out" \
  && ok || { no "lint summary on success"; cat "$tmp/out" "$tmp/err"; }
"$shinsa" policy lint "$src/policies/anjo.yaml" >"$tmp/out" 2>/dev/null
grep -qx "1 個の基準ファイル（パック 1 個）に誤りはありません / 1 policy file (1 pack), no problems" "$tmp/out" && ok || { no "lint one file's summary"; cat "$tmp/out"; }
"$shinsa" policy lint "$src/tests/policy/broken/$(ls "$src/tests/policy/broken" | grep yaml | head -1)" >"$tmp/out" 2>"$tmp/err"
[ $? = 1 ] && [ ! -s "$tmp/out" ] && tail -1 "$tmp/err" | grep -q "^shinsa: 1 件の誤り / 1 mistake$" && ok || no "lint failure: count line on stderr, nothing on stdout"
mkdir "$tmp/folder.yaml"
"$shinsa" policy lint "$tmp/folder.yaml" >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q "folder.yaml:1:1: ファイルではなくフォルダです / is a directory, not a file" "$tmp/err" && ! grep -q "empty" "$tmp/err" \
  && ok || { no "lint a directory"; cat "$tmp/err"; }
printf 'pack:\n  id: x\0y\n' >"$tmp/nul.yaml"
"$shinsa" policy lint "$tmp/nul.yaml" >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q "nul.yaml:2:8: NUL 文字（0x00）は使えません / a NUL byte (0x00) is not allowed" "$tmp/err" \
  && ok || { no "lint a NUL byte"; cat "$tmp/err"; }
"$shinsa" policy lint "$tmp/nosuch.yaml" >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q "nosuch.yaml:1:1: ファイルがありません / no such file" "$tmp/err" && ok || no "lint a missing file"
"$shinsa" policy lint --policies "$tmp/nosuch" >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q "no such policy directory" "$tmp/err" && ok || no "lint a missing policy directory"
# a missing policies folder: logic eval still answers (policy_set_open leaves NULL, never garbage)
SHINSA_POLICIES="$tmp/nosuch" "$shinsa" logic eval '{"shinsa.in_list":[["AES"],"cryptrec.recommended"]}' >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q "cannot load the policy directory" "$tmp/err" && ok || no "in_list without a policies folder"
SHINSA_POLICIES="$tmp/nosuch" "$shinsa" policy list >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q "cannot be used" "$tmp/err" && ok || no "list without a policies folder"

# 9. options from the table: --opt=value, --policies on every subcommand, help from the table
"$shinsa" policy show anjo --level=II --format=json >"$tmp/show2.json" 2>/dev/null && cmp -s "$tmp/show.json" "$tmp/show2.json" && ok || no "show --level=II --format=json"
"$shinsa" policy diff anjo sendai --level-a=II --level-b=I --format=json >"$tmp/diff2.json" 2>/dev/null && cmp -s "$tmp/diff.json" "$tmp/diff2.json" && ok || no "diff --level-a=II"
for sub in list "show anjo" "diff anjo sendai" facts lint; do
  "$shinsa" policy $sub --policies="$src/policies" >/dev/null 2>&1 && ok || no "policy $sub --policies=DIR"
done
for sub in list show lint diff facts; do
  "$shinsa" policy $sub --help >"$tmp/help" 2>&1 && grep -q -- "--policies DIR" "$tmp/help" && grep -q "shinsa policy $sub" "$tmp/help" && ok || no "policy $sub --help"
done
"$shinsa" policy --help | grep -q -- "--policies DIR" && ok || no "policy --help documents --policies"
"$shinsa" policy show anjo --format xml >/dev/null 2>"$tmp/err"; grep -q "table, json" "$tmp/err" && ok || no "show --format lists the choices"
"$shinsa" policy facts --format xml >/dev/null 2>"$tmp/err"; [ $? = 2 ] && grep -q "table, json, markdown" "$tmp/err" && ok || no "facts --format lists the choices"
"$shinsa" policy show anjo --levle II >/dev/null 2>"$tmp/err"; [ $? = 2 ] && grep -q "did you mean --level" "$tmp/err" && ok || no "show suggests --level"
"$shinsa" policy list extra >/dev/null 2>"$tmp/err"; [ $? = 2 ] && grep -q "unexpected argument 'extra'" "$tmp/err" && ok || no "list refuses an operand"

# 10. The constructs of issue #11 (7) on their test pack: lint, show (table, json), diff, evaluate
"$shinsa" policy lint "$src/tests/policy/packs/constructs.yaml" >/dev/null 2>"$tmp/err" && ok || { no "lint the constructs pack"; cat "$tmp/err"; }
mkdir -p "$tmp/cpol" && cp -r "$src"/policies/vocabulary.yaml "$src"/policies/facts-*.yaml "$src"/policies/reference \
  "$src"/policies/anjo.yaml "$src"/tests/policy/packs/constructs.yaml "$tmp/cpol/"
"$shinsa" policy show constructs --policies "$tmp/cpol" >"$tmp/cshow.txt" 2>"$tmp/err" && ok || { no "show constructs"; cat "$tmp/err"; }
grep -q '^区分の順（低い順）: 1 < 2A < 2B < 3A < 3B$' "$tmp/cshow.txt" && \
  grep -q '^log の min_days（区分による値）: 3B: 1095、3A: 1095、2B: 365、2A: 365、1: 365$' "$tmp/cshow.txt" && \
  grep -q '^mfa の義務: {"var":"app.personal_info"} のとき 3B:必須 3A:必須 2B:必須 2A:必須 1:必須（個人情報を取り扱う場合は必須）$' "$tmp/cshow.txt" && \
  grep -q '^グループ loc の選択肢（区分 3A）: loc-jp | loc-consent$' "$tmp/cshow.txt" && \
  grep -q '（区分 3B・3A）$' "$tmp/cshow.txt" && \
  grep -q '→ 申請に代えて届出: デジタル推進課、様式 notice' "$tmp/cshow.txt" && ok || { no "show constructs table"; cat "$tmp/cshow.txt"; }
"$shinsa" policy show constructs --policies "$tmp/cpol" --format json >"$tmp/cshow.json" 2>/dev/null && \
"$shinsa" policy show constructs --policies "$tmp/cpol" --level 2A --format json >"$tmp/cshow2a.json" 2>/dev/null && \
python3 - "$tmp/cshow.json" "$tmp/cshow2a.json" <<'PY' && ok || no "show constructs json"
import json, sys
p = json.load(open(sys.argv[1])); q = json.load(open(sys.argv[2]))
assert p["level_order"] == ["1", "2A", "2B", "3A", "3B"]
c = {x["id"]: x for x in p["criteria"]}
assert c["expiry"]["obligation"] == {"3B": "required", "3A": "required", "2B": "required", "2A": "optional", "1": "optional"}
assert c["log"]["params"] == {"min_days": {"3B": 1095, "3A": 1095, "2B": 365, "2A": 365, "1": 365}}
assert c["del"]["params"]["methods"]["1"][-1] == "vendor"
assert c["mfa"]["obligation_when"][0]["when"] == {"var": "app.personal_info"}
assert c["certs"]["check"] == {"shinsa.at_least": [2, {"var": "cert.iso27001"}, {"var": "cert.iso27017"}, {"var": "cert.soc2"}]}
g = p["groups"][0]
assert g["any_of_by_level"]["3A"] == ["loc-jp", "loc-consent"] and g["any_of_by_level"]["2A"] == ["loc-jp", "loc-consent", "loc-law"]
assert p["prohibitions"][0]["levels"] == ["3B", "3A"]
x = {e["id"]: e for e in p["exemptions"]}
assert x["E-gov"]["levels"] == ["2B", "2A"] and x["E-gov"]["instead"] is None
assert x["E-notice"]["instead"] == "notification" and x["E-notice"]["notify"]["to"] == "デジタル推進課"
c2 = {x["id"]: x for x in q["criteria"]}
assert c2["log"]["params"] == {"min_days": 365} and c2["mfa"]["obligation_when"][0]["obligation"] == "required"
assert q["groups"][0]["any_of"] == ["loc-jp", "loc-consent", "loc-law"]
# the five packs gain the fields, empty
a = json.load(open(sys.argv[1].replace("cshow.json", "show.json")))
assert a["level_order"] is None and all(c["params"] is None for c in a["criteria"])
PY
"$shinsa" policy diff constructs anjo --policies "$tmp/cpol" --level-a 3A --level-b I >"$tmp/cdiff.txt" 2>/dev/null && \
  grep -q 'min_days' "$tmp/cdiff.txt" && grep -q '試験県 禁止 P-mynumber' "$tmp/cdiff.txt" && ok || { no "diff constructs table"; cat "$tmp/cdiff.txt"; }
"$shinsa" policy diff constructs anjo --policies "$tmp/cpol" --level-a 2A --level-b I --format json >"$tmp/cdiff.json" 2>/dev/null && \
python3 - "$tmp/cdiff.json" <<'PY' && ok || no "diff constructs json"
import json, sys
d = json.load(open(sys.argv[1]))
t = {x["topic"]: x for x in d["topics"]}
assert "min_days = 365" in t["log-retention"]["a_items"], t["log-retention"]
assert t["mfa"]["a"] == "required" and "個人情報を取り扱う場合は必須" in t["mfa"]["a_items"]
assert "loc-law" in t["data-location"]["a_items"]
assert d["prohibitions"]["a"] == [] and [e["id"] for e in d["exemptions"]["a"]] == ["E-gov"]
assert [e["id"] for e in d["exemptions"]["b"]] == ["10"]
PY
printf 'app:\n  personal_info: false\n' >"$tmp/notice-app.yaml"
printf 'service: {name: 試験サービス}\n' >"$tmp/notice-profile.yaml"
"$shinsa" evaluate "$tmp/notice-profile.yaml" --app "$tmp/notice-app.yaml" --policy constructs --level 1 --policies "$tmp/cpol" --format json >"$tmp/notice.json" 2>"$tmp/err" && \
python3 - "$tmp/notice.json" <<'PY' && ok || { no "evaluate: a notification instead of an application"; cat "$tmp/err"; }
import json, sys
m = json.load(open(sys.argv[1]))
assert m["verdict"] == "exempt", m["verdict"]
assert m["notification"]["to"] == "デジタル推進課" and m["notification"]["form_title"] == "様式第2号"
assert m["procedure"]["next_step"].startswith("申請に代えて、デジタル推進課に届け出てください（様式第2号）。"), m["procedure"]["next_step"]
PY

# 11. procedures, reviews and stages in `policy show --format json` (#11)
"$shinsa" policy show anjo --format json >"$tmp/pa.json" 2>/dev/null
"$shinsa" policy show sendai --format json >"$tmp/ps.json" 2>/dev/null
"$shinsa" policy show kobe --format json >"$tmp/pk.json" 2>/dev/null
"$shinsa" policy show otokuni --format json >"$tmp/po.json" 2>/dev/null
"$shinsa" policy show tokyo-ward --format json >"$tmp/pw.json" 2>/dev/null
python3 - "$tmp" <<'PY' && ok || no "policy show: procedures, reviews, stages, answers"
import json, sys
t = sys.argv[1]
a, s, k, o = (json.load(open(f"{t}/{n}.json")) for n in ("pa", "ps", "pk", "po"))
c = {x["id"]: x for x in a["criteria"]}
# 7-1-3 is checked with accept options: "manual" stays null, "answers" has them
assert c["7-1-3"]["manual"] is None and c["7-1-3"]["answers"]["kind"] == "accept_options", c["7-1-3"]
assert c["7-1-3"]["answers"]["accepted"], c["7-1-3"]
# 安城: the met answer is the box's wording; the one answer without a box says so in the seed's words (第6条)
assert c["7-2-8"]["answers"]["met"] == ["確認済（不適切と考えられるものなし）"], c["7-2-8"]
for i in ("7-2-8", "7-3-1", "7-3-2", "7-3-3", "7-3-4", "7-3-5"):
    assert c[i]["answers"]["options"] == ["確認済（不適切と考えられるものなし）", "基準を満たせない"], c[i]["answers"]
for i in ("9-1", "9-1b"):
    assert c[i]["answers"]["options"] == ["確認済", "基準を満たせない"] and not c[i]["answers"]["not_applicable"], c[i]["answers"]
# 安城 9-2: 第9条 has no level limit; reported by 様式第1's declaration
assert c["9-2"]["obligation"] == {"I": "required", "II": "required", "III": "required"}, c["9-2"]["obligation"]
f1 = {f["id"]: f for f in a["forms"]}["form1"]
assert {h["id"]: h for h in f1["header"]}["declaration"]["reports"] == ["9-2"]
# 安城 7-2-10: the box reads 対応可（1年以上保存）
assert {"var": "log.retention_days"} in c["7-2-10"]["check"]["and"][1][">="] and 365 in c["7-2-10"]["check"]["and"][1][">="]
assert all(x["stage"] for x in a["criteria"])
assert c["7-4-2"]["stage"] == "application"
p = a["procedures"][0]
assert p["approval"]["act"] == "課長決裁" and p["consultations"][0]["deadline"] == "unspecified"
assert p["steps"][0]["ref"] == "第10条" and p["steps"][0]["when_exempt"] == ["10"]
r = {x["id"]: x for x in p["reviews"]}
assert r["sla"]["trigger"]["cycle"] == "unspecified" and r["sla"]["trigger"]["default_months"] == 12
assert r["sla"]["trigger"]["default_is"] == "deployment"
assert r["access-review"]["trigger"]["events"][0]["event"] == "personnel-move"
assert r["access-review"]["trigger"]["events"][0]["default"]["on"] == "04-01"
assert p["ledger_fields"] and p["end_of_use"]
# no invented cycle anywhere
for pk in (a, k, o):
    for pr in pk["procedures"]:
        for rv in pr["reviews"] if isinstance(pr["reviews"], list) else []:
            assert not isinstance(rv["trigger"]["cycle"], dict), rv
# Sendai: silent on the procedure
sp = s["procedures"][0]
assert sp["applicant"]["unspecified"] and sp["approval"]["unspecified"] and sp["on_unmet"] == "unspecified"
assert sp["consultations"] == "unspecified" and sp["reviews"] == "unspecified"
# Kobe: 4(4) a step of every selection, skipped under 4(6)/4(7), and no criterion;
# 4(2) unmet rejects (per criterion, citing 4(2)); the rest cite their own source or unspecified
kp = k["procedures"][0]
kc = {x["id"]: x for x in k["criteria"]}
assert "4(4)" not in kc and kp["on_unmet"] == "unspecified", kp["on_unmet"]
for i in ("4(2)-1", "4(2)-2", "4(2)-3", "4(2)-4"):
    assert kc[i]["on_unmet"] == "reject" and kc[i]["on_unmet_ref"] == "4(2)", kc[i]
    assert kp["criteria_on_unmet"][i] == "reject" and kp["criteria_on_unmet_ref"][i] == "4(2)"
assert kc["2-ア"]["on_unmet"] == "reject" and "管理基準 6.2" in kc["2-ア"]["on_unmet_ref"]
assert kc["4(3)-3-1"]["on_unmet"] is None and kc["4(5)-2"]["on_unmet"] is None
# the seed names no 決裁/許可権限者: the 情報管理者 judges (a note, not an approver)
assert kp["approval"]["unspecified"] and "情報管理者" in kp["approval"]["note"], kp["approval"]
assert kp["approver"] == "unspecified"
kx = {x["id"]: x for x in k["exemptions"]}
assert "4(7)-1" in kx["4(6)-1"]["scope"] and "4(4)" not in kx["4(6)-1"]["scope"]
assert kx["4(6)-2"]["scope"] == [] and kx["4(6)-2"]["skips"] == ["level-2-3#cio"]
assert kx["4(7)-2"]["when"] == {"var": "cert.ismap"}
assert all(r["reports"] != ["4(4)"] for f in k["forms"] for sec in f["sections"] for r in sec["rows"])
mig = {e["id"]: e for e in kp["end_of_use"]}["migration"]
assert "委託先を選定する際の要件" in mig["text"], mig
assert kp["consultations"][0]["stage"] == ["企画段階", "予算要求段階"]
assert set(kp["consultations"][0]["unless_exempt"]) == {"4(6)-1", "4(6)-2", "4(7)-2"}
assert [x["event"] for x in kp["reviews"][0]["trigger"]["events"]] == ["subcontractor-change"]
# Otokuni: 指名 after approval, the drill only for 自治体可用性2, end-of-use stages
op = o["procedures"][0]
assert any(st["id"] == "nominate" and st["at"] == "after-approval" for st in op["steps"])
assert {x["id"]: x for x in op["reviews"]}["recovery-drill"]["when"] is not None
oc = {x["id"]: x for x in o["criteria"]}
assert oc["3.5-ウ-1"]["stage"] == "end-of-use" and oc["3.4-1-ク-3"]["stage"] == "review"
# 乙訓 3.4①(ク)・2: 担保・手順の策定 at application, only the drill periodic; one condition
assert oc["3.4-1-ク-2"]["stage"] == "application" and oc["3.4-1-ク-2b"]["stage"] == "review"
assert oc["3.4-1-ク-2"]["when"] == oc["3.4-1-ク-2b"]["when"] == {"==": [{"var": "app.availability_class"}, 2]}
drill = {x["id"]: x for x in op["reviews"]}["recovery-drill"]
assert drill["criteria"] == ["3.4-1-ク-2b"] and drill["when"] == oc["3.4-1-ク-2b"]["when"]
# 乙訓 level 1: 2(2) has 2(1)'s wording, so an unmet 4.1 condition is not approvable either
o1 = [x for x in o["procedures"] if x["levels"] == ["1"]][0]
assert o1["on_unmet"] == "reject" and o1["on_unmet_ref"] == "2(2)", o1["on_unmet"]
# policy show --format json is complete (#11 (8)): risks with text and what each option means,
# exemptions with scope and when, criteria with when and satisfied_by
for pk in (a, k, o):
    for r in pk["risks"]:
        assert r["text"] and set(r["option_meanings"]) == set(r["options"]), r
        assert all((v == "accepted") == (op_ in r["accept"]) for op_, v in r["option_meanings"].items())
    for x in pk["exemptions"]:
        assert "scope" in x and "when" in x and x["when"] is not None, x
    for cr in pk["criteria"]:
        assert "when" in cr and isinstance(cr["satisfied_by"], list), cr["id"]
assert c["7-2-11"]["satisfied_by"][0]["check"] == {"var": "app.public_facing"} and c["7-2-11"]["satisfied_by"][0]["note"]
assert {x["id"]: x for x in a["exemptions"]}["10"]["scope"] == "all"
assert c["9-1"]["when"] is not None and c["7-1-1"]["when"] is None
# end-of-use texts keep the seeds' words: the ward's No.18 「廃棄可能であること」 (003:27)
w = json.load(open(f"{t}/pw.json"))
sa = {e["id"]: e for e in w["procedures"][0]["end_of_use"]}["special-accounts"]
assert "廃棄可能であること" in sa["text"] and "廃棄すること" not in sa["text"], sa
# shinsa's prep layout leaves cells blank: every id a row reports resolves to text a renderer can print
ids = {x["id"]: x.get("requirement") for x in k["criteria"]}
ids.update({x["id"]: x["text"] for x in k["risks"]})
for f in k["forms"]:
    for sec in f["sections"]:
        for r in sec["rows"]:
            assert all(ids.get(i) for i in r["reports"]), r
PY

# no note or comment invents a review cycle the data does not have (the seeds say only 定期的)
! grep -nE "12 ?(か|ヶ|ケ|カ)月|１２ ?(か|ヶ)月|12 months" "$src"/policies/*.yaml && ok || no "a pack's note names a 12-month cycle"

finish
