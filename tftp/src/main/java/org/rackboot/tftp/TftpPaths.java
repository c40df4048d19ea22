package org.rackboot.tftp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a requested filename into a root-relative path the way tftp-hpa does, before any source
 * sees it: '\' is read as '/' (Windows-built clients), a leading '/' means the root, empty and
 * '.' segments vanish; '..' segments, NUL and other control bytes are refused outright.
 */
public final class TftpPaths {

  private TftpPaths() {}

  /** The normalized path, or empty when the name must be refused (access violation). */
  public static Optional<String> normalize(String requested) {
    String s = requested.replace('\\', '/');
    List<String> parts = new ArrayList<>();
    for (String seg : s.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        return Optional.empty();
      }
      for (int i = 0; i < seg.length(); i++) {
        char c = seg.charAt(i);
        if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
          return Optional.empty();
        }
      }
      parts.add(seg);
    }
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(String.join("/", parts));
  }
}
