package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;

import aha.testing.InProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake Hub with 429s, 500s, dropped connections and malformed bodies on 20% of requests
 * together, and latency spikes on 20%: every download and upload ends complete (retries) or with
 * one clear error, and nothing half-written is left where a reader would take it as finished: no
 * snapshot entry for a blob that is not whole and right, no partial commit.
 */
@Tag("slow")
class HubFaultsTest {
  static final int SEEDS = 8;

  static FakeHub.Faults faults(long seed) {
    return new FakeHub.Faults(0.05, 0.05, 0.05, 0.05, 0.20, 30, seed);
  }

  record Outcome(boolean complete, String error) {}

  /** A finished call, or the one error it ended with (which must be a Hub error with one sentence). */
  static Outcome outcome(Callable call) {
    try {
      call.run();
      return new Outcome(true, null);
    } catch (HubTransferException | HubAccessException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
      return new Outcome(false, e.getMessage());
    } catch (Exception e) {
      throw new AssertionError("not a clear Hub error: " + e, e);
    }
  }

  interface Callable {
    void run() throws Exception;
  }

  @Test
  void downloadsEndCompleteOrWithOneClearErrorAndTheCacheHoldsOnlyWholeFiles(@TempDir Path tmp)
      throws Exception {
    List<Outcome> outcomes = new ArrayList<>();
    Map<String, Long> injected = new LinkedHashMap<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      try (FakeHub hub = new FakeHub()) {
        HubTestSupport.seedModel(hub);
        Map<String, byte[]> files = hub.repos.get("model:" + HubTestSupport.MODEL).head();
        hub.faults = faults(seed);
        Path cache = tmp.resolve("cache-" + seed);
        HubClient client =
            HubTestSupport.client(
                HubTestSupport.settings(hub, cache, null), HubTestSupport.waits());
        Path[] snap = new Path[1];
        Outcome o =
            outcome(
                () ->
                    snap[0] =
                        client.snapshot(HubTestSupport.MODEL, RepoType.MODEL, "main", List.of()));
        outcomes.add(o);
        if (o.complete()) {
          for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertThat(Files.readAllBytes(snap[0].resolve(e.getKey())))
                .as("seed %d %s", seed, e.getKey())
                .isEqualTo(e.getValue());
          }
        }
        assertSnapshotsHoldOnlyWholeFiles(cache.resolve("models--org--tiny"), files);
        hub.faultsInjected.forEach((k, v) -> injected.merge(k, v.get(), Long::sum));
      }
    }
    System.out.println("download outcomes under faults: " + outcomes + " injected " + injected);
    assertThat(injected).containsKeys("429", "500", "drop", "malformed", "spike");
    assertThat(outcomes).anyMatch(Outcome::complete);
  }

  /** Every file a snapshot shows has exactly the repository's bytes; partial blobs are never shown. */
  static void assertSnapshotsHoldOnlyWholeFiles(Path repo, Map<String, byte[]> files)
      throws IOException {
    Path snapshots = repo.resolve("snapshots");
    if (!Files.isDirectory(snapshots)) {
      return;
    }
    try (Stream<Path> s = Files.walk(snapshots)) {
      for (Path p : s.filter(p -> !Files.isDirectory(p)).toList()) {
        String inRepo = snapshots.relativize(p).subpath(1, snapshots.relativize(p).getNameCount()).toString();
        assertThat(Files.exists(p)).as("%s points at a missing blob", p).isTrue();
        assertThat(Files.readAllBytes(p)).as(inRepo).isEqualTo(files.get(inRepo));
        assertThat(p.toRealPath().getFileName().toString()).doesNotEndWith(".incomplete");
      }
    }
  }

  @Test
  void uploadsEndCompleteOrWithOneClearErrorAndNeverAsAPartialCommit(@TempDir Path tmp)
      throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("03-filter"));
    Map<String, byte[]> content = new LinkedHashMap<>();
    content.put("data/train-00000-of-00002.parquet", HubTestSupport.randomBytes(5_000, 1));
    content.put("data/train-00001-of-00002.parquet", HubTestSupport.randomBytes(30_000, 2));
    content.put(
        "_MANIFEST.json", "{\"stage\": \"filter\"}\n".getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, byte[]> e : content.entrySet()) {
      Path p = folder.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    List<Outcome> outcomes = new ArrayList<>();
    Map<String, Long> injected = new LinkedHashMap<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      try (FakeHub hub = new FakeHub()) {
        hub.createRepo(RepoType.DATASET, "me/traces");
        hub.faults = faults(seed);
        HubClient client =
            HubTestSupport.client(
                HubTestSupport.settings(hub, tmp.resolve("cache"), FakeHub.TOKEN),
                HubTestSupport.waits());
        Outcome o =
            outcome(() -> client.upload("me/traces", RepoType.DATASET, folder, "traces"));
        outcomes.add(o);
        Map<String, byte[]> head = hub.repos.get("dataset:me/traces").head();
        long present = content.keySet().stream().filter(head::containsKey).count();
        // a commit is all or nothing: every file with its bytes, or none of them
        if (o.complete() || present > 0) {
          for (Map.Entry<String, byte[]> e : content.entrySet()) {
            assertThat(head.get(e.getKey())).as("seed %d %s", seed, e.getKey()).isEqualTo(e.getValue());
          }
        }
        assertThat(present).isIn(0L, (long) content.size());
        hub.faultsInjected.forEach((k, v) -> injected.merge(k, v.get(), Long::sum));
      }
    }
    System.out.println("upload outcomes under faults: " + outcomes + " injected " + injected);
    assertThat(injected).containsKeys("429", "500", "drop", "malformed", "spike");
    assertThat(outcomes).anyMatch(Outcome::complete);
  }

  @Test
  void theCliEndsADownloadUnderFaultsWithExitZeroOrOneSentence(@TempDir Path tmp) throws Exception {
    try (FakeHub hub = new FakeHub()) {
      HubTestSupport.seedModel(hub);
      List<Integer> codes = new ArrayList<>();
      for (long seed : new long[] {3, 5}) {
        hub.faults = faults(seed);
        Path cache = tmp.resolve("cli-cache-" + seed);
        InProcess.Outcome o =
            InProcess.cli("hub", "download", HubTestSupport.MODEL, "--endpoint", hub.endpoint(),
                "--cache-dir", cache.toString());
        codes.add(o.code());
        if (o.code() == 0) {
          assertThat(Path.of(o.out().strip()).resolve("model.safetensors")).hasBinaryContent(
              HubTestSupport.modelFiles().get("model.safetensors"));
        } else {
          assertThat(o.code()).isIn(1, 2);
          List<String> errors = o.err().lines().filter(l -> l.startsWith("aha: ")).toList();
          assertThat(errors).as(o.err()).hasSize(1);
          assertThat(o.err()).doesNotContain("\tat ");
        }
        assertSnapshotsHoldOnlyWholeFiles(
            cache.resolve("models--org--tiny"), hub.repos.get("model:" + HubTestSupport.MODEL).head());
      }
      assertThat(hub.faultsInjected).isNotEmpty();
    }
  }
}
