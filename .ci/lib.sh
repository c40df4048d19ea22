# Helpers for .ci scripts (sourced).

# Installs the named Debian packages that are not installed yet; runs apt-get update once.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  if [ ! -f /tmp/.rackboot-apt-updated ]; then
    apt-get update -qq && touch /tmp/.rackboot-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
    --no-install-recommends "${missing[@]}"
}
