package org.rackboot.tftp.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.rackboot.tftp.wire.Mode;
import org.rackboot.tftp.wire.Opcode;
import org.rackboot.tftp.wire.Request;
import org.rackboot.tftp.wire.TftpPacket;

/** A hand-driven TFTP client on a loopback socket, for protocol edge cases. */
final class RawClient implements AutoCloseable {

  final DatagramSocket socket;
  InetSocketAddress lastFrom;

  RawClient() throws IOException {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    socket.setSoTimeout(2000);
  }

  void send(TftpPacket p, InetSocketAddress to) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(70000);
    p.encode(b);
    sendRaw(java.util.Arrays.copyOf(b.array(), b.position()), to);
  }

  void sendRaw(byte[] bytes, InetSocketAddress to) throws IOException {
    socket.send(new DatagramPacket(bytes, bytes.length, to));
  }

  void rrq(String file, Map<String, String> options, InetSocketAddress server) throws IOException {
    send(new Request(Opcode.RRQ, file, Mode.OCTET, options), server);
  }

  /** The next packet, or null after {@code timeoutMs}. */
  TftpPacket receive(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    byte[] buf = new byte[70000];
    DatagramPacket dp = new DatagramPacket(buf, buf.length);
    try {
      socket.receive(dp);
    } catch (SocketTimeoutException e) {
      return null;
    }
    lastFrom = (InetSocketAddress) dp.getSocketAddress();
    return TftpPacket.decode(ByteBuffer.wrap(buf, 0, dp.getLength()));
  }

  TftpPacket receive() throws IOException {
    return receive(2000);
  }

  @Override
  public void close() {
    socket.close();
  }
}
