package org.rackboot.tftp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The TFTP service's counters, cheap enough for the packet path (LongAdder). The application
 * exposes them as gauges; this module knows no metrics library.
 */
public final class TftpStats {

  private final LongAdder active = new LongAdder();
  private final LongAdder started = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder aborted = new LongAdder();
  private final LongAdder unconfirmed = new LongAdder();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder retransmits = new LongAdder();
  private final LongAdder segmentedSends = new LongAdder();
  private final LongAdder segmentationRefusals = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder wrongTid = new LongAdder();
  private final LongAdder duplicateRequests = new LongAdder();
  private final Map<RefusalReason, LongAdder> refusals = new EnumMap<>(RefusalReason.class);

  public TftpStats() {
    for (RefusalReason r : RefusalReason.values()) {
      refusals.put(r, new LongAdder());
    }
  }

  public void transferStarted() {
    started.increment();
    active.increment();
  }

  public void transferCompleted() {
    completed.increment();
    active.decrement();
  }

  /** Given up after the retries, or a read error. */
  public void transferFailed() {
    failed.increment();
    active.decrement();
  }

  /**
   * Every block went out but the ACK of the last never came: the client most likely has the
   * whole file and left without dallying (RFC 1350 section 6), its final ACK lost on the way.
   */
  public void transferUnconfirmed() {
    unconfirmed.increment();
    active.decrement();
  }

  /** The client sent ERROR (EDK2 does after its tsize probe) or the server shut down. */
  public void transferAborted() {
    aborted.increment();
    active.decrement();
  }

  public void bytesSent(long n) {
    bytesSent.add(n);
  }

  public void retransmitted(int blocks) {
    retransmits.add(blocks);
  }

  /** One send that carried several blocks (UDP segmentation offload). */
  public void segmentedSend() {
    segmentedSends.increment();
  }

  /** A path refused a segmented send (blocks above its MTU, IPsec); the transfer went on. */
  public void segmentationRefused() {
    segmentationRefusals.increment();
  }

  public void malformed() {
    malformed.increment();
  }

  public void wrongTid() {
    wrongTid.increment();
  }

  public void duplicateRequest() {
    duplicateRequests.increment();
  }

  public void refused(RefusalReason reason) {
    refusals.get(reason).increment();
  }

  public long activeTransfers() {
    return active.sum();
  }

  public long transfersStarted() {
    return started.sum();
  }

  public long transfersCompleted() {
    return completed.sum();
  }

  public long transfersFailed() {
    return failed.sum();
  }

  public long transfersAborted() {
    return aborted.sum();
  }

  public long transfersUnconfirmed() {
    return unconfirmed.sum();
  }

  public long bytesSent() {
    return bytesSent.sum();
  }

  /** DATA blocks (and OACKs) sent again after a timeout. */
  public long retransmits() {
    return retransmits.sum();
  }

  /** Sends that carried several blocks at once (UDP segmentation offload). */
  public long segmentedSends() {
    return segmentedSends.sum();
  }

  /** Transfers whose path refused segmented sends and went on one datagram per send. */
  public long segmentationRefusals() {
    return segmentationRefusals.sum();
  }

  public long malformedPackets() {
    return malformed.sum();
  }

  public long wrongTidPackets() {
    return wrongTid.sum();
  }

  public long duplicateRequests() {
    return duplicateRequests.sum();
  }

  public long refusals(RefusalReason reason) {
    return refusals.get(reason).sum();
  }
}
