# Install mode of the Rackboot agent (sourced by /init; busybox ash).
#
# The plan (GET /api/v1/provision/{host}/plan, text, one item per line):
#   image NAME VERSION
#   target auto|/dev/NAME
#   artifact PART SHA256 SIZE URL
# The artifact whose PART is "disk" is written raw to the target disk; every other one
# is downloaded to RAM and verified.

HOST=$(arg rackboot.host) || finish failed "no rackboot.host= on the kernel command line"
TOKEN=$(arg rackboot.token) || finish failed "no rackboot.token= on the kernel command line"
BASE="$SERVER/api/v1/provision/$HOST"

# report PHASE PERCENT MESSAGE: progress, best effort.
report() {
  printf '{"phase":"%s","percent":%s,"message":"%s"}\n' "$1" "$2" "$(js "$3")" > /tmp/progress.json
  http_post "$BASE/progress" "$TOKEN" /tmp/progress.json /tmp/progress.resp || true
  say "progress $1 $2% $3"
}

# fail REASON: tells Rackboot the install failed, then stops.
fail() {
  printf '{"status":"failed","reason":"%s"}\n' "$(js "$1")" > /tmp/result.json
  http_post "$BASE/result" "$TOKEN" /tmp/result.json /tmp/result.resp
  finish failed "$1"
}

pick_target() {
  for d in /sys/block/*; do
    n=${d##*/}
    case "$n" in loop*|ram*|zram*|dm-*|md*|sr*|fd*) continue ;; esac
    [ "$(cat "$d/removable" 2>/dev/null)" = 1 ] && continue
    [ "$(cat "$d/size" 2>/dev/null || echo 0)" -gt 0 ] && { echo "/dev/$n"; return 0; }
  done
  return 1
}

install_image() {
  http_get "$BASE/plan" "$TOKEN" /tmp/plan || fail "cannot fetch the plan: $(head -c 200 /tmp/http.err)"
  image=$(awk '$1 == "image" {print $2 ":" $3}' /tmp/plan)
  target=$(awk '$1 == "target" {print $2}' /tmp/plan)
  [ -z "$target" ] || [ "$target" = auto ] && target=$(pick_target)
  [ -b "$target" ] || fail "no target disk (plan says '$target')"
  say "plan image=$image target=$target"
  count=$(grep -c '^artifact ' /tmp/plan)
  i=0
  grep '^artifact ' /tmp/plan > /tmp/artifacts
  while read -r _ part sha size url; do
    i=$((i + 1))
    report download $((100 * (i - 1) / count)) "$part $size bytes"
    if [ "$part" = disk ]; then
      # Streamed to the disk, then verified by reading back exactly SIZE bytes: no RAM
      # copy of a multi-GB image, and what is checked is what was written.
      # ash has no pipefail: the download's own status comes back through a file.
      { http_get "$url" "$TOKEN" - < /dev/null; echo $? > /tmp/get.rc; } \
        | dd of="$target" bs=1M conv=fsync 2> /tmp/dd.err \
        || fail "writing $part to $target failed: $(tail -c 200 /tmp/dd.err)"
      [ "$(cat /tmp/get.rc)" = 0 ] \
        || fail "download of $part failed: $(head -c 200 /tmp/http.err | tr -d '\000-\037')"
      got=$(head -c "$size" "$target" | sha256sum | cut -d' ' -f1)
    else
      http_get "$url" "$TOKEN" "/tmp/$part" < /dev/null || fail "download of $part failed: $(head -c 200 /tmp/http.err)"
      got=$(sha256sum "/tmp/$part" | cut -d' ' -f1)
      rm -f "/tmp/$part"
    fi
    [ "$got" = "$sha" ] || fail "sha256 mismatch for $part: expected $sha, got $got"
  done < /tmp/artifacts
  sync
  report install 100 "wrote $image to $target"
  printf '{"status":"succeeded","image":"%s"}\n' "$image" > /tmp/result.json
  http_post "$BASE/result" "$TOKEN" /tmp/result.json /tmp/result.resp \
    || finish failed "result not accepted: $(head -c 200 /tmp/http.err)"
  finish installed "$image on $target"
}
