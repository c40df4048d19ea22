package org.rackboot.tftp.mina;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import org.rackboot.tftp.TftpContent;
import org.rackboot.tftp.transfer.Transfer;

/** A running transfer: the state machine plus its socket (the TID), content and client. */
final class ActiveTransfer {

  final InetSocketAddress client;
  final String path;
  final DatagramChannel channel;
  final TftpContent content;
  final Transfer transfer;
  /** The encoded OACK, or null when the transfer starts with DATA. */
  final byte[] oack;
  final long startNanos = System.nanoTime();
  SelectionKey key;
  boolean closed;

  ActiveTransfer(InetSocketAddress client, String path, DatagramChannel channel,
      TftpContent content, Transfer transfer, byte[] oack) {
    this.client = client;
    this.path = path;
    this.channel = channel;
    this.content = content;
    this.transfer = transfer;
    this.oack = oack;
  }
}
