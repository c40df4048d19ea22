package org.rackboot.tftp;

/** Why a request was refused; one counter each. */
public enum RefusalReason {
  /** WRQ: Rackboot's TFTP is read-only. */
  WRITE_REQUEST,
  /** mail mode, or netascii of a file too large to convert. */
  BAD_MODE,
  /** '..', control bytes, an empty name, a symlink out of the root, a directory, a device. */
  ACCESS_VIOLATION,
  NOT_FOUND,
  LIMIT_TOTAL,
  LIMIT_PER_CLIENT,
  /** The source failed (I/O error, exception). */
  SOURCE_ERROR
}
