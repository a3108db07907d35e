# Shared by the scripts: configure and build a meson directory quietly, but
# show the whole log when something fails, so a person can see why.
build_dir() {
  local dir=$1; shift
  local log
  log=$(mktemp)
  if [ ! -f "$dir/build.ninja" ]; then
    if ! meson setup "$dir" "$@" >"$log" 2>&1; then
      cat "$log" >&2; rm -f "$log"
      echo "shinsa: meson setup $dir failed (see above)" >&2
      return 1
    fi
  fi
  if ! ninja -C "$dir" >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "shinsa: the build in $dir failed (see above)" >&2
    return 1
  fi
  rm -f "$log"
}
