package org.rackboot.tftp;

import org.rackboot.tftp.wire.ErrorCode;

/** What a {@link TftpSource} answers for one path. */
public sealed interface Lookup {

  /** Serve these bytes. */
  record Found(TftpContent content) implements Lookup {}

  /** This source has nothing under the path; a chain asks the next source. */
  record NotFound() implements Lookup {}

  /**
   * Refuse with this TFTP error; a chain stops here.
   *
   * @param reason short words for the log (the message goes to the client)
   */
  record Refused(ErrorCode code, String message, String reason) implements Lookup {}

  static Lookup found(TftpContent content) {
    return new Found(content);
  }

  static Lookup notFound() {
    return new NotFound();
  }

  static Lookup refused(ErrorCode code, String message, String reason) {
    return new Refused(code, message, reason);
  }
}
