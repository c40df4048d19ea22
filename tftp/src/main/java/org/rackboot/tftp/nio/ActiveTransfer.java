package org.rackboot.tftp.nio;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import org.rackboot.tftp.TftpContent;
import org.rackboot.tftp.transfer.Transfer;

/**
 * A running transfer: the state machine plus its sockets (the TID), content and client. The
 * transfer's socket is connected to the client; {@code strangers} is an unconnected socket on the
 * same port that receives only what the connected one does not match (other TIDs).
 */
final class ActiveTransfer {

  final InetSocketAddress client;
  final String path;
  final DatagramChannel channel;
  final DatagramChannel strangers;
  final TftpContent content;
  final Transfer transfer;
  /** The encoded OACK, or null when the transfer starts with DATA. */
  final byte[] oack;
  final long startNanos = System.nanoTime();
  /**
   * Bytes per datagram when the socket has UDP segmentation offload on (a window then goes out
   * in one send); 0 when each block is its own send.
   */
  int segmentSize;
  /** Blocks sent since the content was last checked intact (TransferWorker.sendData). */
  int sentSinceIntactCheck;
  SelectionKey key;
  SelectionKey strangerKey;
  boolean closed;

  ActiveTransfer(InetSocketAddress client, String path, DatagramChannel channel,
      DatagramChannel strangers, TftpContent content, Transfer transfer, byte[] oack) {
    this.client = client;
    this.path = path;
    this.channel = channel;
    this.strangers = strangers;
    this.content = content;
    this.transfer = transfer;
    this.oack = oack;
  }
}
