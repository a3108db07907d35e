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

# The shared folder (the conformance suites, the seeds), read by path, never
# copied in. First $SHINSA_SHARED; then ../shared beside this tree; then, in a
# clone made elsewhere (a temporary directory), ../shared beside the local
# repository it was cloned from. Prints the folder, or explains and fails.
find_shared() {
  local top=$1 origin cand
  if [ -n "${SHINSA_SHARED:-}" ]; then
    if [ -d "$SHINSA_SHARED/conformance" ]; then
      (cd "$SHINSA_SHARED" && pwd); return 0
    fi
    echo "shinsa: SHINSA_SHARED=$SHINSA_SHARED has no conformance/ folder" >&2
    return 1
  fi
  for cand in "$top/../shared" "$(git -C "$top" config --get remote.origin.url 2>/dev/null || true)/../shared"; do
    case $cand in /*|../*|./*) ;; *) continue ;; esac
    if [ -d "$cand/conformance" ]; then
      (cd "$cand" && pwd); return 0
    fi
  done
  echo "shinsa: cannot find the shared folder (conformance suites): looked in $top/../shared" >&2
  echo "        and beside the repository this was cloned from; set SHINSA_SHARED=/path/to/shared" >&2
  return 1
}
