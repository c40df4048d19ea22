import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Loads N hosts with 2 NICs each straight into the (migrated) schema with multi-row batched
 * INSERTs. Usage: java -cp mariadb.jar Load.java URL USER PASSWORD N. MACs are 0a:bb:xx:xx:xx:xx
 * where the last four bytes are 2*i and 2*i+1, so the client can pick existing MACs at random.
 */
public class Load {
  public static void main(String[] a) throws Exception {
    String url = a[0];
    int n = Integer.parseInt(a[3]);
    int batch = 1000;
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, a[1], a[2])) {
      c.setAutoCommit(false);
      String now = LocalDateTime.now(ZoneOffset.UTC).toString().replace('T', ' ');
      for (int start = 0; start < n; start += batch) {
        int end = Math.min(n, start + batch);
        StringBuilder hosts = new StringBuilder("INSERT INTO hosts (id, hostname, state, serial,"
            + " vendor, model, rack, rack_position, version, created_at, updated_at) VALUES ");
        StringBuilder nics = new StringBuilder("INSERT INTO nics (mac, host_id, name, boot) VALUES ");
        for (int i = start; i < end; i++) {
          hosts.append(i > start ? "," : "").append("(?,?,?,?,?,?,?,?,1,?,?)");
          nics.append(i > start ? "," : "").append("(?,?,'eth0',TRUE),(?,?,'eth1',FALSE)");
        }
        try (PreparedStatement hs = c.prepareStatement(hosts.toString());
            PreparedStatement ns = c.prepareStatement(nics.toString())) {
          int hp = 1;
          int np = 1;
          for (int i = start; i < end; i++) {
            String id = UUID.nameUUIDFromBytes(("bench-" + i).getBytes()).toString();
            hs.setString(hp++, id);
            hs.setString(hp++, String.format("bench-%06d.example.net", i));
            hs.setString(hp++, i % 10 == 0 ? "ready" : "deployed");
            hs.setString(hp++, String.format("SN%08d", i));
            hs.setString(hp++, "Acme");
            hs.setString(hp++, "R650");
            hs.setString(hp++, "rack-" + (i / 40));
            hs.setInt(hp++, i % 40);
            hs.setString(hp++, now);
            hs.setString(hp++, now);
            ns.setString(np++, mac(2L * i));
            ns.setString(np++, id);
            ns.setString(np++, mac(2L * i + 1));
            ns.setString(np++, id);
          }
          hs.executeUpdate();
          ns.executeUpdate();
        }
        c.commit();
      }
    }
    System.out.printf("loaded %d hosts and %d NICs in %.1f s%n", n, 2 * n,
        (System.nanoTime() - t0) / 1e9);
  }

  static String mac(long v) {
    return String.format("0a:bb:%02x:%02x:%02x:%02x", (v >> 24) & 0xff, (v >> 16) & 0xff,
        (v >> 8) & 0xff, v & 0xff);
  }
}
