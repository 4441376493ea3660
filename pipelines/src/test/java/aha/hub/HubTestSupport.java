package aha.hub;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fixtures shared by the hub tests: a small model repository and a client that records its waits.
 */
final class HubTestSupport {
  static final String MODEL = "org/tiny";

  private HubTestSupport() {}

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** config.json, tokenizer.json, model.safetensors (LFS, 20 kB) and sub/dir/notes.txt. */
  static Map<String, byte[]> modelFiles() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "config.json",
        "{\"model_type\": \"qwen2\", \"hidden_size\": 64}\n".getBytes(StandardCharsets.UTF_8));
    files.put(
        "tokenizer.json",
        "{\"version\": \"1.0\", \"model\": {\"type\": \"BPE\"}}\n"
            .getBytes(StandardCharsets.UTF_8));
    files.put("model.safetensors", randomBytes(20_000, 7));
    files.put("sub/dir/notes.txt", "nested file\n".getBytes(StandardCharsets.UTF_8));
    return files;
  }

  static String seedModel(FakeHub hub) {
    hub.createRepo(RepoType.MODEL, MODEL);
    return hub.commit(RepoType.MODEL, MODEL, modelFiles());
  }

  static HubSettings settings(FakeHub hub, Path cache, String token) {
    return new HubSettings(
        hub.endpoint(), cache, token, false, Duration.ofSeconds(10), Duration.ofSeconds(10));
  }

  /** A client whose back-off waits are recorded instead of slept. */
  static HubClient client(HubSettings settings, List<Duration> waits) {
    return new HubClient(settings, waits::add);
  }

  static List<Duration> waits() {
    return new CopyOnWriteArrayList<>();
  }
}
