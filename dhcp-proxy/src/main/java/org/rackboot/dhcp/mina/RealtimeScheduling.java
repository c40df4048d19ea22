package org.rackboot.dhcp.mina;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Puts the calling thread under the Linux real-time policy SCHED_FIFO, for the threads that
 * answer PXE clients.
 *
 * <p>Why: the JVM's JIT compiler threads share the cores with the packet threads, and C2 keeps
 * compiling for minutes after start (the database code behind boot events, most of all), in
 * runs of 0.2-0.9 s. The fair scheduler lets a running thread finish its slice before a woken
 * packet thread gets the core, so a request that arrives meanwhile waits 1-9 ms
 * (bench/dhcp/README.md). A SCHED_FIFO thread is given the core as soon as it wakes. The work
 * per packet is bounded (decode, one cache lookup, encode, send; a {@code BootPolicy} must
 * answer from memory, as the inventory's does from its host cache) and the thread blocks in the
 * selector when there is none; the kernel's real-time throttling (sched_rt_runtime_us, 95 % by
 * default) leaves the rest of a core to everything else even under a flood.
 *
 * <p>Java 17 has no API for scheduling policies, so this runs util-linux {@code chrt} on the
 * thread's own id (from {@code /proc/thread-self}). It needs CAP_SYS_NICE (root has it); without
 * it, or without chrt, the thread stays as it was and the reason is returned.
 */
final class RealtimeScheduling {

  static final int POLICY_FIFO = 1;
  private static final long CHRT_TIMEOUT_SECONDS = 10;

  private RealtimeScheduling() {}

  /**
   * Moves the calling thread to SCHED_FIFO at {@code priority} (1-99).
   *
   * @return empty if it now runs so, otherwise why not
   */
  static Optional<String> applyToCurrentThread(int priority) {
    if (priority < 1 || priority > 99) {
      throw new IllegalArgumentException("real-time priority must be 1-99, not " + priority);
    }
    String tid;
    try {
      tid = threadId(Files.readSymbolicLink(Path.of("/proc/thread-self")).toString());
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.of("cannot find this thread's id in /proc/thread-self: " + e.getMessage());
    }
    Process chrt;
    try {
      chrt = new ProcessBuilder("chrt", "--fifo", "--pid", Integer.toString(priority), tid)
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      return Optional.of("cannot run chrt (util-linux): " + e.getMessage());
    }
    try (InputStream out = chrt.getInputStream()) {
      // chrt says at most a line, which fits the pipe: waiting first cannot block it.
      if (!chrt.waitFor(CHRT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        chrt.destroyForcibly();
        return Optional.of("chrt did not finish within " + CHRT_TIMEOUT_SECONDS + " s");
      }
      if (chrt.exitValue() != 0) {
        String said = new String(out.readNBytes(4096), StandardCharsets.UTF_8).trim();
        return Optional.of("chrt --fifo --pid " + priority + " " + tid + " failed (exit "
            + chrt.exitValue() + "): " + said);
      }
    } catch (IOException e) {
      return Optional.of("chrt: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      chrt.destroyForcibly();
      return Optional.of("interrupted while waiting for chrt");
    }
    return Optional.empty();
  }

  /** The thread id in a {@code /proc/thread-self} link target, "PID/task/TID". */
  static String threadId(String threadSelfTarget) {
    int slash = threadSelfTarget.lastIndexOf('/');
    String tid = threadSelfTarget.substring(slash + 1);
    if (!threadSelfTarget.contains("/task/") || tid.isEmpty()
        || !tid.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not PID/task/TID: " + threadSelfTarget);
    }
    return tid;
  }

  /**
   * The scheduling policy of the calling thread (0 normal, 1 FIFO, 2 round robin, 3 batch,
   * 5 idle): field 41 of {@code /proc/thread-self/stat}, counted after the command name, which
   * may itself hold spaces and parentheses.
   */
  static int currentThreadPolicy() throws IOException {
    String stat = Files.readString(Path.of("/proc/thread-self/stat"));
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(after[41 - 3]);
  }
}
