import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP client of the API benchmark (JDK only, loopback only, bounded in count and time).
 * Usage: java Bench.java BASE_URL ADMIN_URL TOKEN HOSTS LOOKUPS THREADS
 * 1. lookup by MAC: WARMUP then LOOKUPS requests of random existing MACs (in both the colon
 *    and the dash form), THREADS closed-loop clients; latency per request, p50/p99/max; once
 *    with the JDK HttpClient and once with a plain blocking keep-alive socket per thread (the
 *    HttpClient's own thread hand-offs are a large part of its tail on two shared cores), and
 *    the server's own request timer from the admin /metrics;
 * 2. pages through all hosts with limit=1000 and counts them;
 * 3. reads jvm heap used from the admin /metrics after a forced GC (admin /tasks/gc).
 */
public class Bench {
  static final Pattern HEAP = Pattern.compile("\"jvm\\.memory\\.heap\\.used\"\\s*:\\s*\\{\\s*\"value\"\\s*:\\s*(\\d+)");
  static final Pattern LENGTH = Pattern.compile("(?i)content-length:\\s*(\\d+)");
  static final Pattern SERVER_GET = Pattern.compile("\"io\\.dropwizard\\.jetty\\.MutableServletContextHandler\\.get-requests\"\\s*:\\s*\\{[^}]*?\"p50\"\\s*:\\s*([0-9.E-]+)[^}]*?\"p99\"\\s*:\\s*([0-9.E-]+)[^}]*?\"duration_units\"\\s*:\\s*\"([a-z]+)\"");
  static final Pattern NEXT = Pattern.compile("\"next\"\\s*:\\s*(null|\"([^\"]+)\")");

  public static void main(String[] a) throws Exception {
    String base = a[0];
    String admin = a[1];
    String token = a[2];
    int hosts = Integer.parseInt(a[3]);
    int lookups = Integer.parseInt(a[4]);
    int threads = Integer.parseInt(a[5]);
    long deadline = System.nanoTime() + 600_000_000_000L; // 10 minutes, whatever happens
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    int warmup = Math.min(5000, lookups);
    Lookup viaHttpClient = mac -> get(http, base + "/api/v1/hosts/by-mac/" + mac, token);
    run(viaHttpClient, hosts, warmup, threads, deadline, new Random(1));
    report("lookup-by-mac (JDK HttpClient)", viaHttpClient, hosts, lookups, threads, deadline);
    URI u = URI.create(base);
    ThreadLocal<PlainClient> plain = ThreadLocal.withInitial(
        () -> new PlainClient(u.getHost(), u.getPort(), token));
    Lookup viaSocket = mac -> plain.get().get("/api/v1/hosts/by-mac/" + mac);
    run(viaSocket, hosts, warmup, threads, deadline, new Random(3));
    report("lookup-by-mac (keep-alive socket)", viaSocket, hosts, lookups, threads, deadline);
    Matcher timer = SERVER_GET.matcher(get(http, admin + "/metrics", null));
    if (timer.find()) {
      double scale = "seconds".equals(timer.group(3)) ? 1000 : 1;
      System.out.printf("server get-requests timer (both passes, decaying reservoir, whole ms): p50=%.3f ms"
          + " p99=%.3f ms%n", scale * Double.parseDouble(timer.group(1)),
          scale * Double.parseDouble(timer.group(2)));
    }

    long p0 = System.nanoTime();
    int seen = 0;
    int pages = 0;
    String cursor = null;
    do {
      String body = get(http, base + "/api/v1/hosts?limit=1000"
          + (cursor == null ? "" : "&cursor=" + cursor), token);
      int c = 0;
      for (int i = body.indexOf("\"hostname\""); i >= 0; i = body.indexOf("\"hostname\"", i + 1)) {
        c++;
      }
      seen += c;
      pages++;
      Matcher m = NEXT.matcher(body);
      cursor = m.find() && m.group(2) != null ? m.group(2) : null;
    } while (cursor != null && System.nanoTime() < deadline && pages < 10_000);
    System.out.printf("page-all-hosts: hosts=%d pages=%d limit=1000 time=%.2f s%n", seen, pages,
        (System.nanoTime() - p0) / 1e9);

    String before = get(http, admin + "/metrics", null);
    http.send(HttpRequest.newBuilder(URI.create(admin + "/tasks/gc"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    String after = get(http, admin + "/metrics", null);
    System.out.printf("heap-used: after-load=%.1f MiB after-gc=%.1f MiB%n", heap(before),
        heap(after));
  }

  interface Lookup {
    String get(String mac) throws Exception;
  }

  static void report(String what, Lookup lookup, int hosts, int n, int threads, long deadline)
      throws Exception {
    long t0 = System.nanoTime();
    long[] lat = run(lookup, hosts, n, threads, deadline, new Random(2));
    double secs = (System.nanoTime() - t0) / 1e9;
    Arrays.sort(lat);
    System.out.printf("%s: n=%d threads=%d p50=%.3f ms p90=%.3f ms p99=%.3f ms"
        + " max=%.3f ms throughput=%.0f req/s%n", what, lat.length, threads, ms(pct(lat, 50)),
        ms(pct(lat, 90)), ms(pct(lat, 99)), ms(lat[lat.length - 1]), lat.length / secs);
  }

  static long[] run(Lookup lookup, int hosts, int n, int threads, long deadline, Random seed)
      throws Exception {
    long[] lat = new long[n];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> fs = new ArrayList<>();
    int per = n / threads;
    for (int t = 0; t < threads; t++) {
      int from = t * per;
      int to = t == threads - 1 ? n : from + per;
      long s = seed.nextLong();
      fs.add(pool.submit(() -> {
        Random r = new Random(s);
        for (int i = from; i < to && System.nanoTime() < deadline; i++) {
          long v = r.nextInt(2 * hosts);
          String mac = String.format("0a:bb:%02x:%02x:%02x:%02x", (v >> 24) & 0xff,
              (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
          if ((i & 1) == 1) {
            mac = mac.toUpperCase().replace(':', '-');
          }
          long t0 = System.nanoTime();
          String body = lookup.get(mac);
          lat[i] = System.nanoTime() - t0;
          if (!body.contains("\"id\"")) {
            throw new IllegalStateException("bad answer for " + mac + ": " + body);
          }
        }
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    return lat;
  }

  static String get(HttpClient http, String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  /** HTTP/1.1 GETs on one blocking keep-alive connection; Content-Length bodies only. */
  static final class PlainClient {
    private final Socket socket = new Socket();
    private final OutputStream out;
    private final InputStream in;
    private final String host;
    private final String token;

    PlainClient(String host, int port, String token) {
      try {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 65536);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      this.host = host;
      this.token = token;
    }

    String get(String path) throws IOException {
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
          + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ByteArrayOutputStream head = new ByteArrayOutputStream(512);
      int state = 0;
      while (state < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed by the server");
        }
        head.write(b);
        state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
            ? state + 1 : (b == '\r' ? 1 : 0);
      }
      String headers = head.toString(StandardCharsets.ISO_8859_1);
      if (!headers.startsWith("HTTP/1.1 200")) {
        throw new IllegalStateException(path + " -> " + headers.lines().findFirst().orElse(""));
      }
      Matcher m = LENGTH.matcher(headers);
      if (!m.find()) {
        throw new IllegalStateException(path + ": no Content-Length in " + headers);
      }
      return new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8);
    }
  }

  static long pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  static double heap(String metrics) {
    Matcher m = HEAP.matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) / 1048576.0 : -1;
  }
}
