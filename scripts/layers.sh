#!/usr/bin/env bash
# The layers of DESIGN §4, checked: a file under src/LAYER/ may include only
# headers of its own layer or a lower one, and every project include names its
# module ("policy/policy.h", never "policy.h"). The build runs this (a layer
# violation stops it) and so does the test suite.
#   bash scripts/layers.sh SOURCE_DIR [STAMP]
set -u
src=${1:?usage: layers.sh SOURCE_DIR [STAMP]}
stamp=${2:-}
order=(core logic policy assess store app render web cli)
rank() {
  local i
  for i in "${!order[@]}"; do [ "${order[$i]}" = "$1" ] && { echo "$i"; return; }; done
  echo -1
}
bad=0
while IFS= read -r f; do
  rel=${f#"$src"/src/}
  layer=${rel%%/*}
  lr=$(rank "$layer")
  if [ "$lr" -lt 0 ]; then
    echo "$f: src/$layer is not a layer (${order[*]})"; bad=$((bad + 1)); continue
  fi
  while IFS=: read -r line inc; do
    inc=${inc#*\"}; inc=${inc%%\"*}
    case $inc in
    */*) ;;
    *) echo "$f:$line: include \"$inc\" does not name its module (e.g. \"$layer/$inc\")"; bad=$((bad + 1)); continue ;;
    esac
    il=${inc%%/*}
    ir=$(rank "$il")
    if [ "$ir" -lt 0 ]; then
      echo "$f:$line: include \"$inc\": $il is not a layer"; bad=$((bad + 1))
    elif [ "$ir" -gt "$lr" ]; then
      echo "$f:$line: $layer may not include $il (\"$inc\"): layers are ${order[*]}, lower first"
      bad=$((bad + 1))
    fi
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | sed 's/^\([0-9]*\):/\1:/')
  # a project header named with <…> is still a project header: the same rule
  while IFS=: read -r line inc; do
    inc=${inc#*<}; inc=${inc%%>*}
    il=${inc%%/*}
    ir=$(rank "$il")
    if [ "$ir" -gt "$lr" ]; then
      echo "$f:$line: $layer may not include $il (<$inc>): layers are ${order[*]}, lower first"
      bad=$((bad + 1))
    fi
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*<\(core\|logic\|policy\|assess\|store\|app\|render\|web\|cli\)/' "$f")
done < <(find "$src/src" -type f \( -name '*.c' -o -name '*.h' \) | sort)
if [ "$bad" -gt 0 ]; then
  echo "layers: $bad violation(s)"
  exit 1
fi
[ -n "$stamp" ] && : > "$stamp"
exit 0
