#!/usr/bin/env bash
# Starts the built Rackboot (api/target/rackboot.jar) on the embedded defaults of rackboot.yml,
# with what a PXE-booting machine needs to reach the discovery agent:
#   * iPXE boot loaders: Debian's ipxe, served from /usr/lib/ipxe (tftp.bootLoaderDirs);
#   * the discovery agent in var/agent, built by api/agent/build-agent.sh when missing.
# As root it installs the Debian packages that are missing and listens on the standard ports
# (67, 69, 4011). Without root it does the rest, says in one line each what it could not do,
# and listens on 1067, 1069 and 14011. Extra arguments go to the JVM (before -jar).
# The JVM keeps a class-data archive under var/cds (AppCDS: a faster start from the second on).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar=api/target/rackboot.jar
[ -f "$jar" ] || { echo "run: $jar is missing; build it with ./mvnw -B -q -DskipTests package" >&2; exit 1; }
command -v java > /dev/null || { echo "run: no java on PATH; install a JDK 17 or newer (apt-get install default-jdk-headless)" >&2; exit 1; }
root=false
[ "$(id -u)" = 0 ] && root=true
say() { echo "run: $*" >&2; }

# Debian packages: ipxe for the boot loaders; what build-agent.sh runs (it fetches the
# kernel and busybox-static itself when it must, so those two are not needed here).
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for p in ipxe busybox-static cpio kmod xz-utils; do
  installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if $root; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${missing[@]}" > /dev/null \
      || { apt-get update -q > /dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" > /dev/null; } \
      || say "cannot install ${missing[*]}: apt-get failed (see above)"
  else
    for p in "${missing[@]}"; do
      case "$p" in
        ipxe) say "cannot install ipxe: not root; PXE firmware gets no boot loader until: sudo apt-get install ipxe" ;;
        busybox-static) ;;  # build-agent.sh downloads it
        *) say "cannot install $p: not root; the agent needs it: sudo apt-get install $p" ;;
      esac
    done
  fi
fi

# The discovery agent. Without it the server tells machines to wait (and says so at start).
mkdir -p var
if [ ! -f var/agent/vmlinuz ] || [ ! -f var/agent/initrd.img ]; then
  say "building the discovery agent into var/agent (a minute: it unpacks Debian's kernel)"
  if ! api/agent/build-agent.sh var/agent 2> var/build-agent.log; then
    say "cannot build the agent: $(tail -n 1 var/build-agent.log) (var/build-agent.log)"
  fi
fi

# The agent proves itself with the discovery token; rackboot.yml reads it from the environment
# (empty turns discovery off). One is made once and kept in var/discovery-token.
if [ -z "${RACKBOOT_DISCOVERY_TOKEN:-}" ]; then
  if [ ! -s var/discovery-token ]; then
    (umask 077 && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > var/discovery-token)
  fi
  RACKBOOT_DISCOVERY_TOKEN=$(cat var/discovery-token)
  export RACKBOOT_DISCOVERY_TOKEN
fi

jvm=()
if ! $root; then
  say "not root: TFTP on UDP 1069, proxy-DHCP on 1067 and 14011; PXE firmware needs 67, 69 and 4011: run as root (sudo build/run.sh) or grant java CAP_NET_BIND_SERVICE"
  jvm+=(-Ddw.tftp.port=1069 -Ddw.dhcpProxy.port=1067 -Ddw.dhcpProxy.bootServerPort=14011)
fi

# AppCDS: the classes the server loads, archived once per JDK and jar (a different JDK or a
# rebuilt jar gets its own archive; old ones are removed). JDK 19+ writes and uses it in one
# flag; JDK 17 writes it when the first run exits (-XX:ArchiveClassesAtExit) and uses it after.
mkdir -p var/cds
props=$(java -XshowSettings:properties -version 2>&1)
key=$( { echo "$props" | grep -E 'java\.(home|vm\.version|runtime\.version)'; stat -c '%s %Y' "$jar"; } | cksum | cut -d' ' -f1)
cds=var/cds/rackboot-$key.jsa
for old in var/cds/rackboot-*.jsa; do
  [ "$old" = "$cds" ] || rm -f -- "$old"
done
feature=$(echo "$props" | awk -F'= ' '/java.specification.version/ { print $2 }')
if [ "${feature%%.*}" -ge 19 ]; then
  jvm+=(-XX:SharedArchiveFile="$cds" -XX:+AutoCreateSharedArchive)
elif [ -f "$cds" ]; then
  jvm+=(-XX:SharedArchiveFile="$cds")
else
  jvm+=(-XX:ArchiveClassesAtExit="$cds")
fi
# The archive's own messages (written, or refused after a JDK update) are not the server's.
jvm+=(-Xlog:cds=off -Xlog:cds+dynamic=off)

exec java "${jvm[@]}" "$@" -jar "$jar" server rackboot.yml
