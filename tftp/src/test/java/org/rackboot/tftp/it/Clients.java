package org.rackboot.tftp.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real TFTP clients from Debian's packages (.ci/install-tftp.sh). A missing binary makes
 * the test fail, never skip.
 */
enum Clients {
  CURL,
  TFTP_HPA,
  ATFTP,
  BUSYBOX;

  /**
   * The command fetching {@code file} to {@code out}; blksize 0 means the client's default, -1
   * (curl only) no options at all.
   */
  List<String> command(String host, int port, String file, Path out, int blksize, int window) {
    List<String> c = new ArrayList<>();
    switch (this) {
      case CURL -> {
        c.addAll(List.of("curl", "-sS", "--max-time", "120", "-o", out.toString()));
        if (blksize > 0) {
          c.addAll(List.of("--tftp-blksize", Integer.toString(blksize)));
        } else if (blksize < 0) {
          c.add("--tftp-no-options");
        }
        c.add("tftp://" + host + ":" + port + "/" + file);
      }
      case TFTP_HPA -> c.addAll(List.of("tftp", "-m", "binary", host, Integer.toString(port),
          "-c", "get", file, out.toString()));
      case ATFTP -> {
        c.add("atftp");
        if (blksize > 0) {
          c.addAll(List.of("--option", "blksize " + blksize));
        }
        if (window > 0) {
          c.addAll(List.of("--option", "windowsize " + window));
        }
        c.addAll(List.of("-g", "-r", file, "-l", out.toString(), host, Integer.toString(port)));
      }
      case BUSYBOX -> {
        c.addAll(List.of("busybox", "tftp", "-g", "-r", file, "-l", out.toString()));
        if (blksize > 0) {
          c.addAll(List.of("-b", Integer.toString(blksize)));
        }
        c.addAll(List.of(host, Integer.toString(port)));
      }
    }
    return c;
  }

  /** Runs the command, bounded; returns exit status and output. */
  static Result run(List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
      return new Result(-1, "timed out after " + timeoutSeconds + " s: " + command);
    }
    String output = new String(p.getInputStream().readAllBytes());
    return new Result(p.exitValue(), output);
  }

  record Result(int exit, String output) {}
}
