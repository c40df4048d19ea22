# Shared helpers of the Rackboot agent (sourced by /init; busybox ash).

CMDLINE=$(cat /proc/cmdline)

# arg NAME: the value of NAME=... on the kernel command line.
arg() {
  for w in $CMDLINE; do
    case "$w" in "$1="*) echo "${w#*=}"; return 0 ;; esac
  done
  return 1
}

# The serial console is where tests and techs read the agent, even when the kernel's
# console is elsewhere.
to_serial=1
case " $CMDLINE " in *" console=ttyS0"*) to_serial=0 ;; esac
say() {
  echo "RACKBOOT-AGENT: $*"
  [ "$to_serial" = 1 ] && echo "RACKBOOT-AGENT: $*" > /dev/ttyS0 2>/dev/null
  return 0
}

# finish OUTCOME DETAIL: the last marker, then what rackboot.after says.
finish() {
  after=$(arg rackboot.after || echo poweroff)
  say "done $1 $2"
  sync
  case "$after" in
    shell) setsid cttyhack sh ;;
    hold) while :; do sleep 3600; done ;;
    reboot) reboot -f ;;
  esac
  poweroff -f
  sleep 5
}

# Loads the drivers of the PCI/virtio/SCSI devices present, a few passes so that
# devices behind freshly loaded controllers are found too.
load_drivers() {
  pass=1
  while [ $pass -le 5 ]; do
    cat /sys/bus/pci/devices/*/modalias /sys/bus/virtio/devices/*/modalias \
        /sys/bus/scsi/devices/*/modalias > /tmp/modaliases 2>/dev/null
    loaded=0
    for re in /etc/modules/*.re; do
      [ -e "$re" ] || continue
      m=${re##*/}; m=${m%.re}
      [ -d "/sys/module/$m" ] && continue
      grep -qE -f "$re" /tmp/modaliases || continue
      while read -r ko; do
        n=$(basename "$ko" .ko | tr - _)
        [ -d "/sys/module/$n" ] || insmod "$ko" 2>/dev/null
      done < "/etc/modules/$m.deps"
      loaded=1
    done
    [ $loaded = 1 ] || break
    pass=$((pass + 1))
    sleep 0.2
  done
}

nics() {
  for d in /sys/class/net/*; do
    n=${d##*/}
    [ "$n" = lo ] && continue
    [ -e "$d/device" ] && echo "$n"
  done
}

bring_up_network() {
  i=0
  while [ -z "$(nics)" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
  ip link set lo up
  for n in $(nics); do ip link set "$n" up; done
  for n in $(nics); do
    # Bounded: 5 tries of 3 s per interface.
    if udhcpc -i "$n" -n -q -t 5 -T 3 -A 2 -V rackboot-agent \
        -s /etc/udhcpc.script > /tmp/udhcpc.$n.log 2>&1; then
      say "network $n $(cat /tmp/lease.$n.ip 2>/dev/null)"
      return 0
    fi
  done
  return 1
}

# JSON string body: escape \ and ", drop control characters.
js() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr -d '\000-\037'; }
rd() { [ -r "$1" ] && js "$(head -n 1 "$1" 2>/dev/null)"; }

# The hardware facts as one JSON object on stdout.
facts_json() {
  macs="" ifs=""
  for n in $(nics); do
    mac=$(cat /sys/class/net/$n/address)
    drv=$(basename "$(readlink /sys/class/net/$n/device/driver 2>/dev/null)" 2>/dev/null)
    speed=$(cat /sys/class/net/$n/speed 2>/dev/null)
    case "$speed" in ''|-*) speed=null ;; esac
    macs="$macs${macs:+,}\"$mac\""
    ifs="$ifs${ifs:+,}{\"name\":\"$(js "$n")\",\"mac\":\"$mac\",\"driver\":\"$(js "$drv")\",\"speed_mbps\":$speed}"
  done
  disks=""
  for d in /sys/block/*; do
    n=${d##*/}
    case "$n" in loop*|ram*|zram*|dm-*|md*|sr*|fd*) continue ;; esac
    sectors=$(cat "$d/size" 2>/dev/null || echo 0)
    [ "${sectors:-0}" -gt 0 ] || continue
    serial=$( [ -r "$d/serial" ] && rd "$d/serial" || rd "$d/device/serial")
    disks="$disks${disks:+,}{\"name\":\"$(js "$n")\",\"size_bytes\":$((sectors * 512)),\"model\":\"$(rd "$d/device/model")\",\"serial\":\"$serial\"}"
  done
  dmi=""
  for k in sys_vendor product_name product_serial product_uuid chassis_serial; do
    dmi="$dmi${dmi:+,}\"$k\":\"$(rd /sys/class/dmi/id/$k)\""
  done
  bmc=""
  if command -v ipmitool > /dev/null 2>&1; then
    bmc=$(ipmitool lan print 2>/dev/null | awk -F: '/^IP Address  *:/ {gsub(/ /, "", $2); print $2; exit}')
  fi
  firmware=bios
  [ -d /sys/firmware/efi ] && firmware=uefi
  printf '{"agent":"rackboot-agent/1","firmware":"%s","macs":[%s],"interfaces":[%s],' \
    "$firmware" "$macs" "$ifs"
  printf '"cpu":{"count":%s,"model":"%s"},"memory":{"total_kb":%s},"disks":[%s],"dmi":{%s},"bmc":{"ipv4":"%s"}}\n' \
    "$(grep -c '^processor' /proc/cpuinfo)" \
    "$(js "$(grep -m 1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: *//')")" \
    "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)" "$disks" "$dmi" "$(js "$bmc")"
}

# http_post URL TOKEN BODYFILE RESPFILE: POST JSON with retries; 0 on a 2xx answer.
http_post() {
  tries=$(arg rackboot.tries || echo 5)
  n=1
  while [ "$n" -le "$tries" ]; do
    if timeout 30 wget -q -O "$4" --header "Content-Type: application/json" \
        ${2:+--header "Authorization: Bearer $2"} --post-file "$3" "$1" 2> /tmp/http.err; then
      return 0
    fi
    # A 4xx will not change by asking again.
    grep -q 'HTTP/1.[01] 4' /tmp/http.err && return 1
    n=$((n + 1))
    sleep 2
  done
  return 1
}

# http_get URL TOKEN OUTFILE (- for stdout)
http_get() {
  timeout 600 wget -q -O "$3" ${2:+--header "Authorization: Bearer $2"} "$1" 2> /tmp/http.err
}
