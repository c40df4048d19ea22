import java.net.URI;
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
 *    and the dash form), THREADS closed-loop clients; latency per request, p50/p99/max;
 * 2. pages through all hosts with limit=1000 and counts them;
 * 3. reads jvm heap used from the admin /metrics after a forced GC (admin /tasks/gc).
 */
public class Bench {
  static final Pattern HEAP = Pattern.compile("\"jvm\\.memory\\.heap\\.used\"\\s*:\\s*\\{\\s*\"value\"\\s*:\\s*(\\d+)");
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
    run(http, base, token, hosts, warmup, threads, deadline, new Random(1));
    long t0 = System.nanoTime();
    long[] lat = run(http, base, token, hosts, lookups, threads, deadline, new Random(2));
    double secs = (System.nanoTime() - t0) / 1e9;
    Arrays.sort(lat);
    System.out.printf("lookup-by-mac: n=%d threads=%d p50=%.3f ms p90=%.3f ms p99=%.3f ms"
        + " max=%.3f ms throughput=%.0f req/s%n", lat.length, threads, ms(pct(lat, 50)),
        ms(pct(lat, 90)), ms(pct(lat, 99)), ms(lat[lat.length - 1]), lat.length / secs);

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

  static long[] run(HttpClient http, String base, String token, int hosts, int n, int threads,
      long deadline, Random seed) throws Exception {
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
          String body = get(http, base + "/api/v1/hosts/by-mac/" + mac, token);
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
