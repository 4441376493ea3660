package aha.grpo.stage;

import aha.FileTree;
import aha.model.Checkpoint;
import aha.model.SafeTensors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Intermediate checkpoints for resume: {@code <state>/checkpoints/step-<N>/} holds the policy
 * ({@code model/}, a Hugging Face folder), the Adam moments ({@code optimizer.safetensors}), the
 * metrics and samples written so far, and {@code trainer_state.json} (step, prompts drawn, Adam
 * steps, and the fingerprint of the stage config). Each is written under a temporary name and
 * renamed, so a crash mid-save leaves the previous one intact; a snapshot of another config is
 * never resumed. The two newest are kept.
 */
final class Snapshots {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int KEEP = 2;

  /** A finished snapshot. */
  record Saved(Path dir, int step, long promptsDrawn, long adamSteps) {
    Path model() {
      return dir.resolve("model");
    }
  }

  private final Path root;
  private final String fingerprint;

  Snapshots(Path root, String fingerprint) {
    this.root = root;
    this.fingerprint = fingerprint;
  }

  /** The newest snapshot of this config, or null. */
  Saved latest() throws IOException {
    if (!Files.isDirectory(root)) return null;
    for (Path dir : steps()) {
      Path state = dir.resolve("trainer_state.json");
      if (!Files.isRegularFile(state)) continue;
      JsonNode s = JSON.readTree(state.toFile());
      if (!fingerprint.equals(s.path("fingerprint").asText())) continue;
      return new Saved(
          dir,
          s.path("step").asInt(),
          s.path("prompts_drawn").asLong(),
          s.path("adam_steps").asLong());
    }
    return null;
  }

  /** Saves a snapshot after {@code step}; {@code files} (metrics, samples) are copied into it. */
  void save(int step, long promptsDrawn, Checkpoint policy, Adam adam, List<Path> files)
      throws IOException {
    Files.createDirectories(root);
    Path tmp = root.resolve(".step-" + step + ".tmp");
    FileTree.delete(tmp);
    Files.createDirectories(tmp);
    Checkpoint.save(
        tmp.resolve("model"),
        policy.model(),
        policy.tokenizer(),
        policy.chatTemplate(),
        policy.eosTokenIds(),
        SafeTensors.Dtype.F32);
    adam.save(tmp.resolve("optimizer.safetensors"));
    for (Path f : files) {
      if (Files.exists(f)) Files.copy(f, tmp.resolve(f.getFileName()));
    }
    ObjectNode s = JSON.createObjectNode();
    s.put("step", step);
    s.put("prompts_drawn", promptsDrawn);
    s.put("adam_steps", adam.steps());
    s.put("fingerprint", fingerprint);
    Files.writeString(tmp.resolve("trainer_state.json"), JSON.writeValueAsString(s) + "\n");
    Path dir = root.resolve("step-" + step);
    FileTree.delete(dir);
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    List<Path> all = steps();
    for (int i = KEEP; i < all.size(); i++) FileTree.delete(all.get(i));
  }

  /** Restores the files saved with a snapshot into {@code dir}, replacing what is there. */
  static void restoreFiles(Saved saved, Path dir, List<String> names) throws IOException {
    for (String name : names) {
      Path f = saved.dir().resolve(name);
      if (Files.exists(f)) Files.copy(f, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** step-N folders, newest first. */
  private List<Path> steps() throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.getFileName().toString().matches("step-\\d+"))
          .sorted(
              Comparator.comparingInt(
                      (Path p) -> Integer.parseInt(p.getFileName().toString().substring(5)))
                  .reversed())
          .toList();
    }
  }
}
