package org.rackboot.api.boot;

/**
 * The iPXE scripts a booting host is given. Pure text building: what to boot is decided by the
 * caller. Every script starts with {@code #!ipxe}, which iPXE requires to run a downloaded file
 * as a script.
 */
public final class IpxeScripts {

  private IpxeScripts() {}

  /** Boots a Linux kernel and initrd over HTTP with the given command line. */
  public static String kernel(String kernelUrl, String initrdUrl, String cmdline, String banner) {
    // initrd=initrd.img lets the EFI stub find the initrd by name when iPXE boots the kernel
    // as an EFI image; BIOS kernels ignore it.
    return "#!ipxe\n"
        + "echo " + safe(banner) + "\n"
        + "kernel " + kernelUrl + " initrd=initrd.img " + cmdline + " || goto failed\n"
        + "initrd --name initrd.img " + initrdUrl + " || goto failed\n"
        + "boot || goto failed\n"
        + ":failed\n"
        + "echo Rackboot: boot failed, retrying in 10 seconds\n"
        + "sleep 10\n"
        + "reboot\n";
  }

  /**
   * Leaves the network boot so the firmware boots the next device, the installed disk. {@code
   * exit} returns to the BIOS or UEFI boot manager, which tries the next boot option; on BIOS
   * SeaBIOS moves on to the disk.
   */
  public static String localDisk(String hostname) {
    return "#!ipxe\n"
        + "echo Rackboot: " + safe(hostname) + " is deployed, booting from local disk\n"
        + "exit\n";
  }

  /** Waits and asks again: for hosts with nothing to do yet, and for errors the server logs. */
  public static String waitAndRetry(String reason, int seconds, String scriptUrl) {
    return "#!ipxe\n"
        + "echo Rackboot: " + safe(reason) + "\n"
        + "echo Rackboot: asking again in " + seconds + " seconds\n"
        + "sleep " + seconds + "\n"
        + "chain --replace --autofree " + scriptUrl + " || reboot\n";
  }

  /** Stops network boot for good: retired and ignored hosts. */
  public static String refuse(String reason) {
    return "#!ipxe\n" + "echo Rackboot: " + safe(reason) + "\n" + "exit\n";
  }

  /**
   * iPXE expands {@code ${...}} and treats some characters specially in an echo line: keep
   * printable ASCII without {@code $}, so no text a host or user supplied can become a command.
   */
  static String safe(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f && c != '$' && c != '\\' ? c : '?');
    }
    return b.toString();
  }
}
