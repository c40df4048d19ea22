package org.rackboot.tftp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.rackboot.tftp.mina.TftpMain;

/**
 * What a test that builds its own network needs: namespaces it made and processes it started,
 * all ended and removed on close (only those, by handle and name), plus the commands to run
 * {@link TftpMain} in one of them. Needs root.
 */
final class NamespaceRig implements AutoCloseable {

  private final List<Process> started = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();

  /** Makes network namespace {@code name} with its loopback up; deleted on close. */
  void namespace(String name) throws Exception {
    sh("ip", "netns", "add", name);
    namespaces.add(name);
    sh("ip", "-n", name, "link", "set", "lo", "up");
  }

  /** Starts a process with stdout and stderr merged; ended on close. */
  Process start(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    started.add(p);
    return p;
  }

  @Override
  public void close() throws Exception {
    for (Process p : started) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    for (String ns : namespaces) {
      Clients.run(List.of("ip", "netns", "del", ns), 10);
    }
  }

  /** Runs a command that must succeed. */
  static void sh(String... cmd) throws Exception {
    Clients.Result r = Clients.run(List.of(cmd), 20);
    assertThat(r.exit()).as("%s: %s", String.join(" ", cmd), r.output()).isZero();
  }

  /** target/classes plus the jars the server needs (MINA, SLF4J, JNA), from this JVM. */
  static String serverClasspath() throws Exception {
    List<String> parts = new ArrayList<>();
    for (Class<?> c : new Class<?>[] {TftpMain.class,
        org.apache.mina.core.service.IoHandler.class, org.slf4j.Logger.class,
        com.sun.jna.Native.class}) {
      parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString());
    }
    return String.join(File.pathSeparator, parts);
  }

  /** All output lines of a process, collected by a daemon thread. */
  static final class Lines {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    Lines(Process p) {
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException ignored) {
          // the process ended
        }
      });
      t.setDaemon(true);
      t.start();
    }

    boolean await(Predicate<String> match, int seconds) throws InterruptedException {
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        if (lines.stream().anyMatch(match)) {
          return true;
        }
        Thread.sleep(20);
      }
      return false;
    }

    @Override
    public String toString() {
      return String.join("\n", lines);
    }
  }
}
