package org.rackboot.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test trees and tarballs, made with the real GNU tar. */
final class Trees {

  private Trees() {}

  static Sha256 sha(byte[] b) {
    return Sha256.of(Sha256.newDigest().digest(b));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A directory with vmlinuz, initrd.img and a manifest.json naming them. */
  static Path imageDir(Path dir, String name, String version) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("vmlinuz"), bytes("kernel of " + name + " " + version));
    Files.write(dir.resolve("initrd.img"), bytes("initrd of " + name + " " + version));
    Files.writeString(dir.resolve("manifest.json"), """
        {"name": "%s", "version": "%s", "os": "Debian 12", "arch": "x86_64",
         "bootArgs": "console=ttyS0 root={{root}}", "notes": "test image",
         "artifacts": [{"name": "vmlinuz", "part": "kernel"},
                       {"name": "initrd.img", "part": "initrd", "sha256": "%s"}]}
        """.formatted(name, version, sha(bytes("initrd of " + name + " " + version))));
    return dir;
  }

  static void tar(Path archive, Path cwd, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("tar", "-cf", archive.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("tar failed: " + out);
    }
  }
}
