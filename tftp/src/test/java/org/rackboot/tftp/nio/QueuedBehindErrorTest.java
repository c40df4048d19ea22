package org.rackboot.tftp.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

/**
 * A client that exits right after its last ACK, while a retransmission crosses that ACK: the
 * transfer's socket then holds the ACK and an ICMP port-unreachable error, and Linux reports
 * the error first. Real loopback sockets, in the order the race leaves them.
 */
class QueuedBehindErrorTest {

  private static final byte[] LAST_ACK = {0, 4, 0, 7};

  @Test
  void theKernelReportsTheErrorBeforeTheQueuedAckAndTheAckAfterIt() throws Exception {
    try (DatagramChannel server = raceLeftBehind()) {
      ByteBuffer in = ByteBuffer.allocate(64);
      assertThatThrownBy(() -> server.read(in)).isInstanceOf(PortUnreachableException.class);
      assertThat(server.read(in)).isEqualTo(4);
      assertThat(in.flip()).isEqualTo(ByteBuffer.wrap(LAST_ACK));
    }
  }

  @Test
  void readPastErrorsReturnsTheQueuedAck() throws Exception {
    try (DatagramChannel server = raceLeftBehind()) {
      ByteBuffer in = ByteBuffer.allocate(64);
      assertThat(TransferWorker.readPastErrors(server, in)).isEqualTo(4);
      assertThat(in.flip()).isEqualTo(ByteBuffer.wrap(LAST_ACK));
      in.clear();
      assertThat(TransferWorker.readPastErrors(server, in)).as("nothing more queued").isZero();
    }
  }

  @Test
  void readPastErrorsReturnsNothingWhenTheClientLeftNothing() throws Exception {
    try (DatagramChannel client = DatagramChannel.open().bind(loopback());
        DatagramChannel server = DatagramChannel.open().bind(loopback())) {
      server.configureBlocking(false);
      server.connect(client.getLocalAddress());
      client.close();
      server.write(ByteBuffer.wrap(new byte[] {0, 3, 0, 8}));
      Thread.sleep(50);
      assertThat(TransferWorker.readPastErrors(server, ByteBuffer.allocate(64))).isZero();
    }
  }

  /**
   * A transfer socket as the race leaves it: the client's last ACK queued, then the client gone
   * and a retransmission sent to its closed port, whose ICMP error is now pending as well.
   */
  private static DatagramChannel raceLeftBehind() throws Exception {
    DatagramChannel server = DatagramChannel.open().bind(loopback());
    server.configureBlocking(false);
    try (DatagramChannel client = DatagramChannel.open().bind(loopback())) {
      server.connect(client.getLocalAddress());
      client.send(ByteBuffer.wrap(LAST_ACK), server.getLocalAddress());
    }
    server.write(ByteBuffer.wrap(new byte[] {0, 3, 0, 7, 'x'}));
    // The ICMP error comes back through loopback within the send; give a slow machine time.
    Thread.sleep(50);
    return server;
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress("127.0.0.1", 0);
  }
}
