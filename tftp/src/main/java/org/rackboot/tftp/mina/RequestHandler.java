package org.rackboot.tftp.mina;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.rackboot.tftp.TftpStats;
import org.rackboot.tftp.nio.TransferEngine;
import org.rackboot.tftp.wire.ErrorCode;
import org.rackboot.tftp.wire.ErrorPacket;
import org.rackboot.tftp.wire.MalformedPacketException;
import org.rackboot.tftp.wire.Request;
import org.rackboot.tftp.wire.TftpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packets to the well-known port: filter, decode, dispatch. Only RRQ and WRQ belong here;
 * anything else is dropped and counted. A request that cannot be read gets error 4 (RFC 1350:
 * illegal TFTP operation) from the well-known port, since no transfer exists for it.
 */
final class RequestHandler extends IoHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

  private final TransferEngine engine;
  private final TftpStats stats;

  RequestHandler(TransferEngine engine, TftpStats stats) {
    this.engine = engine;
    this.stats = stats;
  }

  @Override
  public void messageReceived(IoSession session, Object message) {
    if (!(message instanceof IoBuffer io)) {
      return;
    }
    InetSocketAddress client = (InetSocketAddress) session.getRemoteAddress();
    ByteBuffer bytes = io.buf().slice();
    TftpPacket packet;
    try {
      packet = TftpPacket.decode(bytes.duplicate());
    } catch (MalformedPacketException e) {
      stats.malformed();
      LOG.debug("TFTP malformed packet from {}: {}", client, e.getMessage());
      int op = bytes.remaining() >= 2 ? bytes.getShort(0) & 0xFFFF : -1;
      if (op == 1 || op == 2) {
        ByteBuffer b = ByteBuffer.allocate(512);
        new ErrorPacket(ErrorCode.ILLEGAL_OPERATION, "Malformed request").encode(b);
        b.flip();
        session.write(IoBuffer.wrap(b));
      }
      return;
    }
    if (packet instanceof Request req) {
      switch (req.opcode()) {
        case RRQ -> engine.onReadRequest(req, client);
        case WRQ -> engine.onWriteRequest(req, client);
        default -> throw new IllegalStateException();
      }
    } else {
      stats.malformed();
      LOG.debug("TFTP {} from {} on the request port dropped", packet.opcode(), client);
    }
  }

  @Override
  public void exceptionCaught(IoSession session, Throwable cause) {
    // Never close on error: for a datagram acceptor that would only drop this peer's session,
    // but there is nothing to gain from it either.
    LOG.debug("TFTP request handling failed for {}", session.getRemoteAddress(), cause);
  }
}
