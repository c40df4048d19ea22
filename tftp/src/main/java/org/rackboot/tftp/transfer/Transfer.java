package org.rackboot.tftp.transfer;

/**
 * One read transfer as a pure state machine: no socket, no clock. The adapter feeds it ACKs and
 * timeouts with the current time in microseconds and sends what it asks for.
 *
 * <p>Blocks are counted with absolute numbers 1..{@link #lastBlock()} (a long); on the wire only
 * the low 16 bits travel, so block numbers roll over from 65535 to 0 as iPXE, EDK2 and tftp-hpa
 * expect. Block 0 stands for the OACK when there is one.
 *
 * <p>Sorcerer's Apprentice (RFC 1123 section 4.2.3.1): only an ACK that moves the window forward
 * makes DATA go out; a duplicate ACK is ignored and retransmission is driven by the timer alone.
 *
 * <p>Timeouts (RFC 1123 section 4.2.3.2 asks for adaptive ones): when the client fixed none
 * with the timeout option, the retransmit timeout follows the measured round trip the way TCP's
 * does (RFC 6298: srtt + 4 rttvar, samples only from windows sent once, doubled on each
 * timeout), between {@link #MIN_ADAPTIVE_TIMEOUT_MICROS} and the configured timeout. A lost
 * packet on a LAN then costs milliseconds, not a second.
 *
 * <p>Windows (RFC 7440): up to {@code windowSize} blocks go out back to back; the client ACKs the
 * last one. An ACK for a block inside the window means the client saw a gap, so the next window
 * starts right after the acknowledged block (RFC 7440 section 4).
 */
public final class Transfer {

  /** What the adapter must do after an event. */
  public enum Action {
    /** Nothing to send. */
    NONE,
    /** Send the OACK (again). */
    SEND_OACK,
    /** Send blocks {@link #sendFrom()} .. sendFrom + {@link #sendCount()} - 1. */
    SEND_DATA,
    /** The client acknowledged the last block: the transfer succeeded. */
    DONE,
    /** Retries are used up: the client is gone; free the transfer. */
    GIVE_UP
  }

  private final long size;
  private final int blockSize;
  private final int windowSize;
  /**
   * The floor of the adaptive timeout: below it, scheduling delays on a busy host look like loss
   * (10 ms made atftp see duplicates on a loaded 2-core machine).
   */
  public static final long MIN_ADAPTIVE_TIMEOUT_MICROS = 20_000;

  private final long timeoutMicros;
  private final boolean adaptive;
  private long srtt = -1;
  private long rttvar;
  private long rto;
  private long windowSentAt;
  private long lastProgressAt;
  private boolean windowResent;
  private final int maxRetries;
  private final boolean withOack;
  private final long lastBlock;

  /** Highest block the client acknowledged; -1 while an OACK is unanswered. */
  private long acked;
  /** Highest block sent so far (0 for the OACK). */
  private long sentUpTo;
  private long sendFrom;
  private int sendCount;
  private long deadline;
  private int retries;
  private boolean finished;

  public Transfer(long size, Negotiation negotiation, int maxRetries) {
    this(size, negotiation.blockSize(), negotiation.windowSize(), negotiation.timeoutMicros(),
        maxRetries, !negotiation.oack().isEmpty(), negotiation.adaptiveTimeout());
  }

  /** A transfer with a fixed timeout. */
  public Transfer(long size, int blockSize, int windowSize, long timeoutMicros, int maxRetries,
      boolean withOack) {
    this(size, blockSize, windowSize, timeoutMicros, maxRetries, withOack, false);
  }

  /**
   * @param timeoutMicros the fixed timeout, or with {@code adaptive} the initial and largest one
   */
  public Transfer(long size, int blockSize, int windowSize, long timeoutMicros, int maxRetries,
      boolean withOack, boolean adaptive) {
    if (size < 0 || blockSize < 1 || windowSize < 1 || windowSize > 32767) {
      throw new IllegalArgumentException("bad transfer parameters");
    }
    this.size = size;
    this.blockSize = blockSize;
    this.windowSize = windowSize;
    this.timeoutMicros = timeoutMicros;
    this.adaptive = adaptive;
    this.rto = timeoutMicros;
    this.maxRetries = maxRetries;
    this.withOack = withOack;
    // The last block is the first one shorter than blksize: a size that is a multiple of
    // blksize (0 included) ends with an empty block (RFC 1350 section 6).
    this.lastBlock = size / blockSize + 1;
  }

  /** The first thing to send: the OACK, or the first window of DATA. */
  public Action start(long nowMicros) {
    lastProgressAt = nowMicros;
    if (withOack) {
      acked = -1;
      sentUpTo = 0;
      windowSentAt = nowMicros;
      windowResent = false;
      deadline = nowMicros + rto;
      return Action.SEND_OACK;
    }
    acked = 0;
    return sendWindow(1, nowMicros);
  }

  /** An ACK from the client's TID carrying the 16-bit block number {@code wireBlock}. */
  public Action onAck(int wireBlock, long nowMicros) {
    if (finished) {
      return Action.NONE;
    }
    // The only candidates are acked..sentUpTo, fewer than 32768 blocks, so the 16-bit number
    // names exactly one of them.
    long abs = sentUpTo - ((sentUpTo - wireBlock) & 0xFFFF);
    if (abs <= acked) {
      // A duplicate of the last ACK, or an old one: never answered with DATA.
      return Action.NONE;
    }
    if (adaptive) {
      sampleRtt(nowMicros);
    }
    retries = 0;
    lastProgressAt = nowMicros;
    acked = abs;
    if (abs == lastBlock) {
      finished = true;
      return Action.DONE;
    }
    return sendWindow(abs + 1, nowMicros);
  }

  /**
   * The timer fired. Before the deadline this is a no-op (the adapter may wake early); after it
   * the unacknowledged window is sent again, until {@code maxRetries} is exceeded.
   */
  public Action onTimeout(long nowMicros) {
    if (finished || nowMicros < deadline) {
      return Action.NONE;
    }
    // A client is given up after maxRetries timeouts; with adaptive (short) timeouts also not
    // before maxRetries + 1 full configured timeouts of silence, so a slow firmware that pauses
    // is not dropped just because the LAN round trip is short.
    if (++retries > maxRetries
        && (!adaptive || nowMicros - lastProgressAt >= timeoutMicros * (maxRetries + 1L))) {
      finished = true;
      return Action.GIVE_UP;
    }
    if (adaptive) {
      rto = Math.min(timeoutMicros, rto * 2);
    }
    windowResent = true;
    if (acked < 0) {
      deadline = nowMicros + rto;
      return Action.SEND_OACK;
    }
    return resendWindow(acked + 1, nowMicros);
  }

  /** RFC 6298 section 2, with Karn's rule: a window sent more than once gives no sample. */
  private void sampleRtt(long nowMicros) {
    if (windowResent) {
      return;
    }
    long r = Math.max(1, nowMicros - windowSentAt);
    if (srtt < 0) {
      srtt = r;
      rttvar = r / 2;
    } else {
      rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
      srtt = (7 * srtt + r) / 8;
    }
    rto = Math.max(MIN_ADAPTIVE_TIMEOUT_MICROS, Math.min(timeoutMicros, srtt + 4 * rttvar));
  }

  private Action sendWindow(long from, long nowMicros) {
    windowSentAt = nowMicros;
    windowResent = false;
    return resendWindow(from, nowMicros);
  }

  private Action resendWindow(long from, long nowMicros) {
    sendFrom = from;
    sendCount = (int) Math.min(windowSize, lastBlock - from + 1);
    sentUpTo = Math.max(sentUpTo, from + sendCount - 1);
    deadline = nowMicros + rto;
    return Action.SEND_DATA;
  }

  /**
   * True when everything but the ACK of the last block was acknowledged and the last block was
   * sent: a transfer given up in this state most likely reached the client.
   */
  public boolean onlyLastAckMissing() {
    return acked == lastBlock - 1 && sentUpTo == lastBlock;
  }

  /** The current retransmit timeout. */
  public long timeoutMicros() {
    return rto;
  }

  public long sendFrom() {
    return sendFrom;
  }

  public int sendCount() {
    return sendCount;
  }

  /** When {@link #onTimeout} should next be called, in the caller's microseconds. */
  public long deadline() {
    return deadline;
  }

  public boolean finished() {
    return finished;
  }

  public long lastBlock() {
    return lastBlock;
  }

  public int blockSize() {
    return blockSize;
  }

  public long size() {
    return size;
  }

  /** Consecutive timeouts without progress. */
  public int retries() {
    return retries;
  }

  /** Byte offset of an absolute block's payload. */
  public long offsetOf(long block) {
    return (block - 1) * blockSize;
  }

  /** Payload length of an absolute block. */
  public int lengthOf(long block) {
    return (int) Math.min(blockSize, size - offsetOf(block));
  }

  /** The 16-bit block number that goes on the wire. */
  public static int wireBlock(long block) {
    return (int) (block & 0xFFFF);
  }
}
