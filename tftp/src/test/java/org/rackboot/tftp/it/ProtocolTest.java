package org.rackboot.tftp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rackboot.tftp.Lookup;
import org.rackboot.tftp.RefusalReason;
import org.rackboot.tftp.TftpContent;
import org.rackboot.tftp.transfer.TransferLimits;
import org.rackboot.tftp.wire.Ack;
import org.rackboot.tftp.wire.Data;
import org.rackboot.tftp.wire.ErrorCode;
import org.rackboot.tftp.wire.ErrorPacket;
import org.rackboot.tftp.wire.Mode;
import org.rackboot.tftp.wire.OptionAck;
import org.rackboot.tftp.wire.Opcode;
import org.rackboot.tftp.wire.Request;
import org.rackboot.tftp.wire.TftpPacket;

/** Protocol behaviour seen from a hand-driven client on loopback. */
class ProtocolTest {

  /** root and outside share one temp dir, so the escaping symlink stays inside it. */
  @TempDir Path base;
  Path root;
  Path outside;
  TestServer server;
  InetSocketAddress addr;

  @BeforeEach
  void start() throws Exception {
    root = Files.createDirectories(base.resolve("root"));
    outside = Files.createDirectories(base.resolve("outside"));
    TestServer.writeFile(root, "f.bin", 5000);
    TestServer.writeFile(root, "sub/g.bin", 700);
    TestServer.writeFile(root, "ipxe.efi", 850_528);
    TestServer.writeFile(outside, "secret", 10);
    Files.createDirectories(root.resolve("dir"));
    Files.createSymbolicLink(root.resolve("escape"), outside.resolve("secret"));
    Files.createSymbolicLink(root.resolve("inside-link"), root.resolve("f.bin"));
    server = TestServer.start(root);
    addr = server.address();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ErrorPacket expectError(RawClient c) throws Exception {
    TftpPacket p = c.receive();
    assertThat(p).isInstanceOf(ErrorPacket.class);
    return (ErrorPacket) p;
  }

  @Test
  void writeRequestIsRefusedWithAccessViolationFromANewPort() throws Exception {
    try (RawClient c = new RawClient()) {
      c.send(new Request(Opcode.WRQ, "f.bin", Mode.OCTET, Map.of()), addr);
      assertThat(expectError(c).code()).isEqualTo(ErrorCode.ACCESS_VIOLATION);
      assertThat(c.lastFrom.getPort()).isNotEqualTo(addr.getPort());
    }
    assertThat(server.stats.refusals(RefusalReason.WRITE_REQUEST)).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} -> error {1}")
  @CsvSource({
    "../etc/passwd, 2",
    "sub/../../f.bin, 2",
    "'..\\f.bin', 2",
    "missing.bin, 1",
    "dir, 2",
    "/dir/, 2",
    "escape, 2",
    "'', 2",
    "/, 2",
    "'a\u0001b', 2",
  })
  void refusedPathsGetTheRightError(String path, int code) throws Exception {
    try (RawClient c = new RawClient()) {
      c.rrq(path, Map.of(), addr);
      assertThat(expectError(c).rawCode()).isEqualTo(code);
    }
  }

  /** Names the file system cannot resolve are the client's mistake: error 1, not a server error. */
  @Test
  void unresolvableNamesGetFileNotFound() throws Exception {
    Files.createSymbolicLink(root.resolve("loop"), root.resolve("loop"));
    for (String name : new String[] {"f.bin/x", "loop", "n".repeat(300), "sub/" + "n".repeat(300)}) {
      try (RawClient c = new RawClient()) {
        c.rrq(name, Map.of(), addr);
        assertThat(expectError(c).code()).as(name).isEqualTo(ErrorCode.FILE_NOT_FOUND);
      }
    }
    assertThat(server.stats.refusals(RefusalReason.SOURCE_ERROR)).isZero();
    assertThat(server.stats.refusals(RefusalReason.NOT_FOUND)).isEqualTo(4);
  }

  @Test
  void devicesAndFifosAreRefused() throws Exception {
    Clients.Result mknod = Clients.run(
        java.util.List.of("mknod", root.resolve("null").toString(), "c", "1", "3"), 10);
    Clients.Result mkfifo =
        Clients.run(java.util.List.of("mkfifo", root.resolve("fifo").toString()), 10);
    assertThat(mknod.exit()).as(mknod.output()).isZero();
    assertThat(mkfifo.exit()).as(mkfifo.output()).isZero();
    for (String name : new String[] {"null", "fifo"}) {
      try (RawClient c = new RawClient()) {
        c.rrq(name, Map.of(), addr);
        assertThat(expectError(c).code()).isEqualTo(ErrorCode.ACCESS_VIOLATION);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"/f.bin", "//f.bin", "'\\f.bin'", "'sub\\g.bin'", "/sub/./g.bin", "inside-link"})
  void leadingSlashBackslashAndInsideLinksAreServed(String path) throws Exception {
    try (RawClient c = new RawClient()) {
      c.rrq(path, Map.of(), addr);
      TftpPacket p = c.receive();
      assertThat(p).isInstanceOf(Data.class);
      assertThat(((Data) p).block()).isEqualTo(1);
    }
  }

  /** Restarts the server bound to 0.0.0.0 (the production default); returns where to ask. */
  private InetSocketAddress restartOnWildcard() throws Exception {
    server.close();
    server = new TestServer(root, org.rackboot.tftp.TftpSettings.defaults(
        new InetSocketAddress("0.0.0.0", 0)), null);
    return new InetSocketAddress("127.0.0.1", server.port());
  }

  /** Bound to the wildcard (the production default), transfers still run on their own ports. */
  @Test
  void wildcardListenerServesLoopbackClients() throws Exception {
    InetSocketAddress to = restartOnWildcard();
    try (RawClient c = new RawClient()) {
      c.rrq("sub/g.bin", Map.of(), to);
      Data d = (Data) c.receive();
      assertThat(d.payload()).hasSize(512);
      assertThat(c.lastFrom.getPort()).isNotEqualTo(server.port());
      c.send(new Ack(1), c.lastFrom);
      assertThat(((Data) c.receive()).payload()).hasSize(188);
      c.send(new Ack(2), c.lastFrom);
    }
    server.awaitIdle();
    assertThat(server.stats.transfersCompleted()).isEqualTo(1);
  }

  /**
   * On the wildcard, the connected transfer socket takes the client's address as its own while
   * its stranger sibling stays on the wildcard: a wrong TID must still reach the sibling.
   */
  @Test
  void wildcardListenerAnswersAWrongTidWithErrorFive() throws Exception {
    wrongTidGetsErrorFiveFromTheTransferPortWhileItGoesOn(restartOnWildcard());
  }

  /** Stopping the service (Dropwizard stop, tests) leaves no TFTP thread behind. */
  @Test
  void closeStopsEveryThread() throws Exception {
    server.close();
    long end = System.nanoTime() + 5_000_000_000L;
    java.util.List<String> left;
    do {
      Thread.sleep(20);
      left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
          .map(Thread::getName)
          .filter(n -> n.startsWith("tftp-") || n.startsWith("NioDatagramAcceptor"))
          .toList();
    } while (!left.isEmpty() && System.nanoTime() < end);
    assertThat(left).isEmpty();
  }

  @Test
  void mailModeIsRefused() throws Exception {
    try (RawClient c = new RawClient()) {
      c.send(new Request(Opcode.RRQ, "f.bin", Mode.MAIL, Map.of()), addr);
      assertThat(expectError(c).code()).isEqualTo(ErrorCode.ILLEGAL_OPERATION);
    }
  }

  @Test
  void netasciiConvertsLineEnds() throws Exception {
    Files.writeString(root.resolve("t.txt"), "a\nb\rc");
    try (RawClient c = new RawClient()) {
      c.send(new Request(Opcode.RRQ, "t.txt", Mode.NETASCII, Map.of()), addr);
      Data d = (Data) c.receive();
      assertThat(d.payload()).containsExactly('a', '\r', '\n', 'b', '\r', 0, 'c');
      c.send(new Ack(1), c.lastFrom);
    }
  }

  /** RFC 2347 + 2348 + 2349: OACK carries the real tsize; a bad value is left out, not fatal. */
  @Test
  void negotiatesOptionsAndLeavesOutBadOnes() throws Exception {
    try (RawClient c = new RawClient()) {
      Map<String, String> o = new LinkedHashMap<>();
      o.put("tsize", "0");
      o.put("blksize", "100000");
      o.put("timeout", "0");
      o.put("windowsize", "x");
      o.put("foo", "bar");
      c.rrq("f.bin", o, addr);
      OptionAck oack = (OptionAck) c.receive();
      assertThat(oack.options()).containsExactly(
          Map.entry("tsize", "5000"), Map.entry("blksize", "65464"));
      c.send(new Ack(0), c.lastFrom);
      Data d = (Data) c.receive();
      assertThat(d.payload()).hasSize(5000);
      c.send(new Ack(1), c.lastFrom);
    }
    server.awaitIdle();
    assertThat(server.stats.transfersCompleted()).isEqualTo(1);
  }

  /**
   * EDK2 (FINDINGS.md): tsize probe, ERROR 8, then a windowsize 4 request from a new port. The
   * abort frees the first transfer at once; the second is served in windows of 4 blocks.
   */
  @Test
  void edk2TsizeProbeThenWindowedTransfer() throws Exception {
    byte[] expected = Files.readAllBytes(root.resolve("ipxe.efi"));
    try (RawClient probe = new RawClient()) {
      Map<String, String> o = new LinkedHashMap<>();
      o.put("tsize", "0");
      o.put("blksize", "1468");
      o.put("windowsize", "4");
      probe.rrq("ipxe.efi", o, addr);
      OptionAck oack = (OptionAck) probe.receive();
      assertThat(oack.options()).containsEntry("tsize", "850528")
          .containsEntry("blksize", "1468").containsEntry("windowsize", "4");
      probe.send(new ErrorPacket(ErrorCode.OPTION_REFUSED, "User aborted the transfer"),
          probe.lastFrom);
    }
    server.awaitIdle();
    assertThat(server.stats.activeTransfers()).isZero();
    assertThat(server.stats.transfersAborted()).isEqualTo(1);

    try (RawClient c = new RawClient()) {
      Map<String, String> o = new LinkedHashMap<>();
      o.put("blksize", "1468");
      o.put("windowsize", "4");
      c.rrq("ipxe.efi", o, addr);
      OptionAck oack = (OptionAck) c.receive();
      assertThat(oack.options()).containsExactly(
          Map.entry("blksize", "1468"), Map.entry("windowsize", "4"));
      InetSocketAddress tid = c.lastFrom;
      c.send(new Ack(0), tid);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      int expectBlock = 1;
      boolean last = false;
      while (!last) {
        // Exactly one window of 4 blocks (or the tail) per ACK.
        for (int i = 0; i < 4 && !last; i++) {
          Data d = (Data) c.receive();
          assertThat(d.block()).isEqualTo(expectBlock & 0xFFFF);
          got.write(d.payload());
          last = d.payload().length < 1468;
          expectBlock++;
        }
        c.send(new Ack((expectBlock - 1) & 0xFFFF), tid);
      }
      assertThat(got.toByteArray()).isEqualTo(expected);
      assertThat(c.receive(100)).isNull();
    }
    server.awaitIdle();
    assertThat(server.stats.transfersCompleted()).isEqualTo(1);
  }

  /** RFC 7440 section 4: an ACK inside the window restarts the window after it. */
  @Test
  void ackInsideWindowResendsFromTheNextBlock() throws Exception {
    try (RawClient c = new RawClient()) {
      c.rrq("f.bin", Map.of("blksize", "512", "windowsize", "4"), addr);
      c.receive();
      c.send(new Ack(0), c.lastFrom);
      for (int i = 1; i <= 4; i++) {
        assertThat(((Data) c.receive()).block()).isEqualTo(i);
      }
      c.send(new Ack(2), c.lastFrom);
      for (int i = 3; i <= 6; i++) {
        assertThat(((Data) c.receive()).block()).isEqualTo(i);
      }
    }
  }

  /** Sorcerer's Apprentice: a duplicated ACK must not make a second DATA go out. */
  @Test
  void duplicateAckSendsNothing() throws Exception {
    try (RawClient c = new RawClient()) {
      c.rrq("f.bin", Map.of(), addr);
      assertThat(((Data) c.receive()).block()).isEqualTo(1);
      c.send(new Ack(1), c.lastFrom);
      c.send(new Ack(1), c.lastFrom);
      assertThat(((Data) c.receive()).block()).isEqualTo(2);
      // The server's timeout is 300 ms: nothing may come before it.
      assertThat(c.receive(150)).isNull();
    }
  }

  @Test
  void wrongTidGetsErrorFiveAndTheTransferGoesOn() throws Exception {
    wrongTidGetsErrorFiveFromTheTransferPortWhileItGoesOn(addr);
  }

  /** A stranger ACKing the transfer's TID gets error 5 from that port; the transfer goes on. */
  private void wrongTidGetsErrorFiveFromTheTransferPortWhileItGoesOn(InetSocketAddress to)
      throws Exception {
    try (RawClient c = new RawClient(); RawClient stranger = new RawClient()) {
      c.rrq("f.bin", Map.of(), to);
      assertThat(((Data) c.receive()).block()).isEqualTo(1);
      InetSocketAddress tid = c.lastFrom;
      stranger.send(new Ack(1), tid);
      assertThat(((ErrorPacket) stranger.receive()).code()).isEqualTo(ErrorCode.UNKNOWN_TID);
      assertThat(stranger.lastFrom).isEqualTo(tid);
      c.send(new Ack(1), tid);
      assertThat(((Data) c.receive()).block()).isEqualTo(2);
    }
    assertThat(server.stats.wrongTidPackets()).isEqualTo(1);
  }

  @Test
  void repeatedRequestFromARunningClientIsIgnored() throws Exception {
    try (RawClient c = new RawClient()) {
      c.rrq("f.bin", Map.of("tsize", "0"), addr);
      assertThat(c.receive()).isInstanceOf(OptionAck.class);
      InetSocketAddress tid = c.lastFrom;
      c.rrq("f.bin", Map.of("tsize", "0"), addr);
      // Only the running transfer's own retransmitted OACK may come, from its own port.
      TftpPacket p = c.receive(1000);
      assertThat(p).isInstanceOf(OptionAck.class);
      assertThat(c.lastFrom).isEqualTo(tid);
    }
    assertThat(server.stats.duplicateRequests()).isEqualTo(1);
    assertThat(server.stats.transfersStarted()).isEqualTo(1);
  }

  @Test
  void abandonedTransferIsFreedAfterItsRetries() throws Exception {
    server.close();
    server = new TestServer(root, TestServer.settings()
        .withLimits(new TransferLimits(65464, 64, 50_000, 2, false)), null);
    try (RawClient c = new RawClient()) {
      c.rrq("f.bin", Map.of(), server.address());
      int datas = 0;
      while (c.receive(500) != null) {
        datas++;
      }
      assertThat(datas).isEqualTo(3);
    }
    server.awaitIdle();
    assertThat(server.stats.transfersFailed()).isEqualTo(1);
    assertThat(server.stats.retransmits()).isEqualTo(2);
  }

  @Test
  void limitsRefuseWithAnError() throws Exception {
    server.close();
    server = new TestServer(root, TestServer.settings().withMaxTransfers(2, 1), null);
    try (RawClient a = new RawClient(); RawClient b = new RawClient()) {
      a.rrq("f.bin", Map.of(), server.address());
      assertThat(a.receive()).isInstanceOf(Data.class);
      b.rrq("f.bin", Map.of(), server.address());
      ErrorPacket e = (ErrorPacket) b.receive();
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_DEFINED);
    }
    assertThat(server.stats.refusals(RefusalReason.LIMIT_PER_CLIENT)).isEqualTo(1);
  }

  @Test
  void frontSourceServesGeneratedFilesBeforeTheRoot() throws Exception {
    server.close();
    server = new TestServer(root, TestServer.settings(), (path, client) ->
        path.startsWith("pxelinux.cfg/")
            ? Lookup.found(TftpContent.of("host " + client.getAddress().getHostAddress()))
            : Lookup.notFound());
    try (RawClient c = new RawClient()) {
      c.rrq("pxelinux.cfg/01-aa-bb-cc-dd-ee-ff", Map.of(), server.address());
      Data d = (Data) c.receive();
      assertThat(new String(d.payload(), StandardCharsets.UTF_8)).isEqualTo("host 127.0.0.1");
      c.send(new Ack(1), c.lastFrom);
      c.rrq("f.bin", Map.of(), server.address());
      assertThat(((Data) c.receive()).payload()).hasSize(512);
    }
  }

  /** A failing source (the application's database is down, say) costs one error, not the server. */
  @Test
  void brokenSourceGetsAnErrorAndTheServerGoesOn() throws Exception {
    server.close();
    server = new TestServer(root, TestServer.settings(), (path, client) -> {
      if (path.equals("boom")) {
        throw new java.io.IOException("store unavailable");
      }
      return Lookup.notFound();
    });
    try (RawClient c = new RawClient()) {
      c.rrq("boom", Map.of(), server.address());
      assertThat(((ErrorPacket) c.receive()).code()).isEqualTo(ErrorCode.NOT_DEFINED);
      c.rrq("f.bin", Map.of(), server.address());
      assertThat(c.receive()).isInstanceOf(Data.class);
    }
    assertThat(server.stats.refusals(RefusalReason.SOURCE_ERROR)).isEqualTo(1);
  }

  /**
   * A file rewritten in place while it is served (cp over it, rsync --inplace) truncates the
   * mapping the transfer reads from: that transfer fails with an error, the others and the next
   * request are served by the same worker.
   */
  @Test
  void fileTruncatedUnderATransferFailsItAndTheServerGoesOn() throws Exception {
    Path big = TestServer.writeFile(root, "rewritten.bin", 1 << 20);
    try (RawClient victim = new RawClient(); RawClient other = new RawClient()) {
      victim.rrq("rewritten.bin", Map.of(), addr);
      assertThat(victim.receive()).isInstanceOf(Data.class);
      InetSocketAddress victimTid = victim.lastFrom;
      other.rrq("f.bin", Map.of(), addr);
      assertThat(((Data) other.receive()).block()).isEqualTo(1);
      InetSocketAddress otherTid = other.lastFrom;

      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(big,
          java.nio.file.StandardOpenOption.WRITE)) {
        ch.truncate(0);
      }
      // Damaged blocks may go out before the worker's next check of the file (every 32 blocks)
      // or the JVM's report of the fault; then the error ends the transfer.
      victim.send(new Ack(1), victimTid);
      TftpPacket p = victim.receive();
      for (int i = 0; i < 40 && p instanceof Data d; i++) {
        victim.send(new Ack(d.block()), victimTid);
        p = victim.receive();
      }
      assertThat(p).isInstanceOf(ErrorPacket.class);
      assertThat(((ErrorPacket) p).code()).isEqualTo(ErrorCode.NOT_DEFINED);

      // The transfer that was running meanwhile goes on, and a new one starts.
      // (Its block 1 may have been resent meanwhile: its timeout on loopback is short.)
      other.send(new Ack(1), otherTid);
      TftpPacket next = other.receive();
      for (int i = 0; i < 10 && next instanceof Data d && d.block() == 1; i++) {
        next = other.receive();
      }
      assertThat(next).isInstanceOf(Data.class);
      assertThat(((Data) next).block()).isEqualTo(2);
      try (RawClient third = new RawClient()) {
        third.rrq("sub/g.bin", Map.of(), addr);
        assertThat(((Data) third.receive()).payload()).hasSize(512);
      }
    }
    assertThat(server.stats.transfersFailed()).isEqualTo(1);
  }

  /** Content that throws while it is read (a bug in a generated file) costs its transfer only. */
  @Test
  void contentThatThrowsFailsItsTransferAndTheWorkerGoesOn() throws Exception {
    server.close();
    server = new TestServer(root, TestServer.settings(), (path, client) -> {
      if (!path.equals("buggy")) {
        return Lookup.notFound();
      }
      return Lookup.found(new TftpContent() {
        @Override
        public long size() {
          return 2000;
        }

        @Override
        public int read(java.nio.ByteBuffer dst, long position) {
          throw new IllegalStateException("template bug");
        }
      });
    });
    try (RawClient c = new RawClient()) {
      c.rrq("buggy", Map.of(), server.address());
      assertThat(((ErrorPacket) c.receive()).code()).isEqualTo(ErrorCode.NOT_DEFINED);
      c.rrq("f.bin", Map.of(), server.address());
      assertThat(c.receive()).isInstanceOf(Data.class);
    }
    assertThat(server.stats.transfersFailed()).isEqualTo(1);
  }

  /** Malformed input is answered with error 4 (requests) or dropped; a transfer meanwhile completes. */
  @Test
  void malformedPacketsAndNoiseDoNotDisturbARunningTransfer() throws Exception {
    TestServer.writeFile(root, "m.bin", 1 << 20);
    Path out = Files.createTempFile(outside, "m", ".bin");
    Process p = new ProcessBuilder(Clients.BUSYBOX.command(
        "127.0.0.1", addr.getPort(), "m.bin", out, 512, 0)).redirectErrorStream(true).start();
    try (RawClient c = new RawClient()) {
      // Truncated request (one byte), an undefined opcode, an RRQ without its final NUL, an
      // unknown mode.
      c.sendRaw(new byte[] {0}, addr);
      c.sendRaw(new byte[] {0, 9, 'x', 0}, addr);
      c.sendRaw(new byte[] {0, 1, 'f', '.', 'b', 'i', 'n', 0, 'o', 'c', 't'}, addr);
      assertThat(((ErrorPacket) c.receive()).code()).isEqualTo(ErrorCode.ILLEGAL_OPERATION);
      c.sendRaw(new byte[] {0, 1, 'f', 0, 'b', 'i', 'n', 0}, addr);
      assertThat(((ErrorPacket) c.receive()).code()).isEqualTo(ErrorCode.ILLEGAL_OPERATION);
      Random rnd = new Random(4);
      for (int i = 0; i < 2000; i++) {
        byte[] junk = new byte[rnd.nextInt(600)];
        rnd.nextBytes(junk);
        if (junk.length >= 2 && junk[0] == 0 && (junk[1] == 1 || junk[1] == 2)) {
          junk[0] = 1; // keep random noise from being a valid request by luck
        }
        c.sendRaw(junk, addr);
      }
    }
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    assertThat(TestServer.sha256(out)).isEqualTo(TestServer.sha256(root.resolve("m.bin")));
    assertThat(server.stats.malformedPackets()).isGreaterThanOrEqualTo(4);
  }
}
