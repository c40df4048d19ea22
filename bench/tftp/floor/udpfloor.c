/*
 * udpfloor: the least CPU a TFTP server can spend per MB sending 1468-byte blocks over loopback,
 * one system call per datagram as Java 17 must (no sendmmsg, no UDP GSO), against what batching
 * would give. It stands in for a windowed TFTP transfer (RFC 7440): the sender sends a window of
 * W datagrams of 4 + 1468 bytes on a socket connected to the reader, then waits for the
 * reader's 4-byte ACK; the reader receives W datagrams and answers. Neither side reads a file or
 * does any protocol work, so the sender's CPU is a floor for the server's.
 *
 *   gcc -O2 -o udpfloor udpfloor.c
 *   ./udpfloor [-m sendto|send|sendmmsg|gso] [-w window] [-b blksize] [-M megabytes] [-p pairs]
 *
 * Prints, per run, MB/s over all pairs and the CPU per MB of senders and readers (getrusage of
 * the sender and reader processes, user + system). On loopback the sender's system call also
 * carries the datagram into the reader's socket queue and wakes the reader, as the server's does.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

static int mode_sendto, mode_mmsg, mode_gso;
static int window = 16, blk = 1468, pairs = 1;
static long megabytes = 256;

static void die(const char *what) { perror(what); exit(1); }

static double cpu_ms(struct rusage *r) {
  return r->ru_utime.tv_sec * 1e3 + r->ru_utime.tv_usec / 1e3 +
         r->ru_stime.tv_sec * 1e3 + r->ru_stime.tv_usec / 1e3;
}

static int udp_socket(struct sockaddr_in *bound) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  if (s < 0) die("socket");
  int buf = 1 << 20;
  setsockopt(s, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
  setsockopt(s, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
  socklen_t l = sizeof *bound;
  getsockname(s, (struct sockaddr *)bound, &l);
  return s;
}

/* The reader: receive a window, answer with an ACK, until the sender's empty datagram. */
static void reader(int s, long blocks) {
  char buf[65536];
  long got = 0;
  int in_window = 0;
  for (;;) {
    ssize_t n = recv(s, buf, sizeof buf, 0);
    if (n < 0) die("recv");
    if (n == 0) break;
    got += mode_gso ? (n + blk + 3) / (blk + 4) : 1;
    in_window += mode_gso ? (n + blk + 3) / (blk + 4) : 1;
    if (in_window >= window || got >= blocks) {
      in_window = 0;
      if (send(s, "\0\4\0\0", 4, 0) < 0) die("send ack");
    }
  }
}

/* The sender: a window of datagrams, then wait for the ACK. */
static void sender(int s, struct sockaddr_in *to, long blocks) {
  char pkt[65536];
  memset(pkt, 0x5a, sizeof pkt);
  struct mmsghdr msgs[64];
  struct iovec iov[64];
  if (mode_gso) {
    int seg = blk + 4;
    if (setsockopt(s, IPPROTO_UDP, UDP_SEGMENT, &seg, sizeof seg) < 0) die("UDP_SEGMENT");
  }
  for (long sent = 0; sent < blocks;) {
    int w = blocks - sent < window ? (int)(blocks - sent) : window;
    if (mode_mmsg) {
      for (int i = 0; i < w; i++) {
        iov[i].iov_base = pkt;
        iov[i].iov_len = blk + 4;
        memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
      }
      if (sendmmsg(s, msgs, w, 0) != w) die("sendmmsg");
    } else if (mode_gso) {
      /* One send of up to 64 KiB, cut into blk + 4 byte datagrams by the kernel. */
      int per = 65000 / (blk + 4);
      for (int done = 0; done < w;) {
        int k = w - done < per ? w - done : per;
        if (send(s, pkt, (size_t)k * (blk + 4), 0) < 0) die("send gso");
        done += k;
      }
    } else {
      for (int i = 0; i < w; i++) {
        ssize_t r = mode_sendto ? sendto(s, pkt, blk + 4, 0, (struct sockaddr *)to, sizeof *to)
                                : send(s, pkt, blk + 4, 0);
        if (r < 0) die("send");
      }
    }
    sent += w;
    char ack[16];
    if (recv(s, ack, sizeof ack, 0) < 0) die("recv ack");
  }
  send(s, pkt, 0, 0);
}

int main(int argc, char **argv) {
  const char *mode = "send";
  int o;
  while ((o = getopt(argc, argv, "m:w:b:M:p:")) != -1) {
    switch (o) {
      case 'm': mode = optarg; break;
      case 'w': window = atoi(optarg); break;
      case 'b': blk = atoi(optarg); break;
      case 'M': megabytes = atol(optarg); break;
      case 'p': pairs = atoi(optarg); break;
      default:
        fprintf(stderr, "usage: udpfloor [-m sendto|send|sendmmsg|gso] [-w W] [-b blksize] [-M MB] [-p pairs]\n");
        return 2;
    }
  }
  mode_sendto = !strcmp(mode, "sendto");
  mode_mmsg = !strcmp(mode, "sendmmsg");
  mode_gso = !strcmp(mode, "gso");
  if (window > 64 || window < 1) { fprintf(stderr, "window 1..64\n"); return 2; }
  long blocks = megabytes * 1000000L / blk; /* per pair */
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t kids[2 * 64];
  int nk = 0;
  for (int p = 0; p < pairs; p++) {
    struct sockaddr_in sa, ra;
    int ss = udp_socket(&sa), rs = udp_socket(&ra);
    if (connect(ss, (struct sockaddr *)&ra, sizeof ra) < 0) die("connect");
    if (connect(rs, (struct sockaddr *)&sa, sizeof sa) < 0) die("connect");
    pid_t r = fork();
    if (r == 0) { close(ss); reader(rs, blocks); _exit(0); }
    pid_t s = fork();
    if (s == 0) { close(rs); sender(ss, &ra, blocks); _exit(0); }
    close(ss);
    close(rs);
    kids[nk++] = r; /* even: reader */
    kids[nk++] = s; /* odd: sender */
  }
  double send_ms = 0, read_ms = 0;
  for (int i = 0; i < nk; i++) {
    int st;
    struct rusage ru;
    if (wait4(kids[i], &st, 0, &ru) < 0) die("wait4");
    if (!WIFEXITED(st) || WEXITSTATUS(st)) { fprintf(stderr, "child failed\n"); return 1; }
    if (i % 2) send_ms += cpu_ms(&ru); else read_ms += cpu_ms(&ru);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  double mb = (double)blocks * blk * pairs / 1e6;
  printf("mode=%s window=%d blksize=%d pairs=%d MB=%.0f  %.1f MB/s  sender %.2f ms/MB  reader %.2f ms/MB\n",
         mode, window, blk, pairs, mb, mb / secs, send_ms / mb, read_ms / mb);
  return 0;
}
