package aha.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Throughput of the hub client against the fake Hub on 127.0.0.1 (loopback, so it measures the
 * client: streaming, hashing, disk writes, not a network). Run by hand or from {@code make bench}:
 *
 * <pre>
 * java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" aha.hub.HubTransferBench [MB]
 * </pre>
 */
public final class HubTransferBench {
  public static void main(String[] args) throws Exception {
    int mb = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    Path tmp = Files.createTempDirectory("hub-bench");
    try (FakeHub hub = new FakeHub()) {
      byte[] weights = HubTestSupport.randomBytes(mb << 20, 3);
      hub.createRepo(RepoType.MODEL, "bench/model");
      hub.commit(RepoType.MODEL, "bench/model", Map.of("model.safetensors", weights));
      HubClient client =
          new HubClient(HubTestSupport.settings(hub, tmp.resolve("cache"), FakeHub.TOKEN), d -> {});

      long t0 = System.nanoTime();
      Path snap = client.snapshot("bench/model", RepoType.MODEL, "main", List.of());
      double cold = seconds(t0);
      t0 = System.nanoTime();
      client.snapshot("bench/model", RepoType.MODEL, "main", List.of());
      double warm = seconds(t0);
      System.out.printf(
          "download %d MiB (sha256 checked): %.2f s = %.0f MiB/s%n", mb, cold, mb / cold);
      System.out.printf("second snapshot (cache hit): %.1f ms%n", warm * 1000);

      Path folder = Files.createDirectories(tmp.resolve("upload"));
      Files.copy(snap.resolve("model.safetensors"), folder.resolve("model.safetensors"));
      hub.multipartChunk = 16L << 20;
      t0 = System.nanoTime();
      client.upload("bench/up", RepoType.MODEL, folder, "bench", "main", true);
      double up = seconds(t0);
      System.out.printf(
          "upload %d MiB (sha256 + multipart, 16 MiB parts): %.2f s = %.0f MiB/s%n",
          mb, up, mb / up);
    } finally {
      try (Stream<Path> walk = Files.walk(tmp)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double seconds(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0).toNanos() / 1e9;
  }
}
