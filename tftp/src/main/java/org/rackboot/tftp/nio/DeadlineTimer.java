package org.rackboot.tftp.nio;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes a transfer worker when its earliest retransmission deadline has passed, so that the
 * workers can block in an untimed select. A timed select arms a kernel timer on every call, and
 * in lock-step a worker sleeps once per block (about 35k hrtimer_start per 32 MiB at blksize 512);
 * on a VM, programming the timer is a VM exit. Measured pinned, blksize 512: 8 % more throughput
 * (bench/tftp/README.md). A worker's earliest deadline changes only when it scans its transfers,
 * about once per timeout, so this thread wakes about as often.
 */
final class DeadlineTimer implements Runnable {

  private final Thread thread = new Thread(this, "tftp-deadlines");
  private TransferWorker[] workers = new TransferWorker[0];
  private volatile boolean running = true;

  DeadlineTimer() {
    thread.setDaemon(true);
  }

  void start(TransferWorker[] watched) {
    this.workers = watched.clone();
    thread.start();
  }

  /** A worker published a new deadline: this thread may be sleeping towards another, or none. */
  void changed() {
    LockSupport.unpark(thread);
  }

  void shutdown() {
    running = false;
    LockSupport.unpark(thread);
  }

  @Override
  public void run() {
    // The deadline each worker was last woken for: it stays published until the worker has
    // scanned, and waking it again for the same one would spin.
    long[] woken = new long[workers.length];
    Arrays.fill(woken, Long.MIN_VALUE);
    while (running) {
      long now = TransferWorker.micros();
      long soonest = Long.MAX_VALUE;
      for (int i = 0; i < workers.length; i++) {
        long due = workers[i].deadline();
        if (due == woken[i]) {
          continue;
        }
        if (due <= now) {
          woken[i] = due;
          workers[i].wakeup();
        } else {
          soonest = Math.min(soonest, due);
        }
      }
      // A permit left by changed() makes the park return at once: no deadline is missed.
      if (soonest == Long.MAX_VALUE) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, (soonest - now) * 1000);
      }
    }
  }
}
