package org.rackboot.api.boot;

/**
 * The iPXE scripts a booting host is given. Pure text building: what to boot is decided by the
 * caller. Every script starts with {@code #!ipxe}, which iPXE requires to run a downloaded file
 * as a script. Every value goes through {@link IpxeText}, so each script has exactly the
 * commands written here whatever the values: text is neutralized, URLs and the kernel command
 * line are checked (an IllegalArgumentException means a caller let an unchecked value through).
 */
public final class IpxeScripts {

  private IpxeScripts() {}

  /** Boots a Linux kernel and initrd over HTTP with the given command line. */
  public static String kernel(String kernelUrl, String initrdUrl, String cmdline, String banner) {
    // initrd=initrd.img lets the EFI stub find the initrd by name when iPXE boots the kernel
    // as an EFI image; BIOS kernels ignore it.
    return "#!ipxe\n"
        + "echo " + IpxeText.echo(banner) + "\n"
        + "kernel " + IpxeText.url(kernelUrl) + " initrd=initrd.img "
        + IpxeText.kernelArgs(cmdline) + " || goto failed\n"
        + "initrd --name initrd.img " + IpxeText.url(initrdUrl) + " || goto failed\n"
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
        + "echo Rackboot: " + IpxeText.echo(hostname) + " is deployed, booting from local disk\n"
        + "exit\n";
  }

  /** Waits and asks again: for hosts with nothing to do yet, and for errors the server logs. */
  public static String waitAndRetry(String reason, int seconds, String scriptUrl) {
    return "#!ipxe\n"
        + "echo Rackboot: " + IpxeText.echo(reason) + "\n"
        + "echo Rackboot: asking again in " + seconds + " seconds\n"
        + "sleep " + seconds + "\n"
        + "chain --replace --autofree " + IpxeText.url(scriptUrl) + " || reboot\n";
  }

  /** Stops network boot for good: retired and ignored hosts. */
  public static String refuse(String reason) {
    return "#!ipxe\n" + "echo Rackboot: " + IpxeText.echo(reason) + "\n" + "exit\n";
  }
}
