package aha.sft;

import aha.BadInputException;
import aha.FileTree;
import aha.model.SafeTensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Resumable checkpoints in {@code <state>/checkpoints/step-<N>/}: a complete Hugging Face folder
 * (float32 weights) plus {@code optimizer.safetensors} (AdamW moments) and {@code
 * trainer_state.json} (step, epoch, batch position, optimizer step count, seed and the run's
 * fingerprint). The data order is a pure function of the seed and epoch (see {@link Batches}), so
 * the position is the whole RNG state. Each folder is written under a temporary name and renamed
 * when complete; checkpoints of another config (another fingerprint) are deleted, never resumed.
 */
public final class TrainCheckpoints {
  private static final String STATE = "trainer_state.json";

  private final Path root;
  private final String fingerprint;
  private final int keep;

  /** A checkpoint on disk. */
  public record Saved(Path dir, int step, long optimizerSteps) {}

  public TrainCheckpoints(Path root, String fingerprint, int keep) {
    this.root = root;
    this.fingerprint = fingerprint;
    this.keep = keep;
  }

  public Path root() {
    return root;
  }

  /** The latest complete checkpoint of this run, or null; stale ones of another run are removed. */
  public Saved latest(PrintStream log) throws IOException {
    Saved best = null;
    for (Path d : list()) {
      JsonNode s = MetricsLog.JSON.readTree(d.resolve(STATE).toFile());
      if (!fingerprint.equals(s.path("fingerprint").asText())) {
        if (log != null) log.println("  sft: " + d + " belongs to another config or input; deleting it");
        FileTree.delete(d);
        continue;
      }
      Saved c = new Saved(d, s.path("global_step").asInt(), s.path("optimizer_steps").asLong());
      if (best == null || c.step() > best.step()) best = c;
    }
    return best;
  }

  /** Copies the checkpoint's weights and optimizer state into the live ones. */
  public void restore(Saved c, Map<String, NDArray> params, AdamW optimizer) {
    Path weights = c.dir().resolve("model.safetensors");
    try (NDManager tmp = params.values().iterator().next().getManager().newSubManager()) {
      Map<String, NDArray> saved = SafeTensors.read(weights, tmp);
      for (var e : params.entrySet()) {
        NDArray a = saved.get(e.getKey());
        if (a == null || !a.getShape().equals(e.getValue().getShape())) {
          throw new BadInputException(weights + ": tensor " + e.getKey() + " is missing or has the wrong shape");
        }
        a.copyTo(e.getValue());
      }
    }
    optimizer.load(c.dir().resolve("optimizer.safetensors"), c.optimizerSteps());
  }

  /** Writes step {@code step}'s checkpoint, then deletes all but the newest {@code keep}. */
  public Path save(int step, int epoch, int batchInEpoch, long seed, Student student, AdamW optimizer)
      throws IOException {
    Files.createDirectories(root);
    Path tmp = root.resolve(".step-" + step + ".tmp");
    FileTree.delete(tmp);
    student.save(tmp);
    optimizer.save(tmp.resolve("optimizer.safetensors"));
    ObjectNode s = MetricsLog.JSON.createObjectNode();
    s.put("global_step", step);
    s.put("epoch", epoch);
    s.put("batch_in_epoch", batchInEpoch);
    s.put("optimizer_steps", optimizer.steps());
    s.put("seed", seed);
    s.put("fingerprint", fingerprint);
    Files.writeString(tmp.resolve(STATE), MetricsLog.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
    Path dir = root.resolve("step-" + step);
    FileTree.delete(dir);
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    List<Path> all = list();
    for (int i = 0; i < all.size() - keep; i++) FileTree.delete(all.get(i));
    return dir;
  }

  /** Complete checkpoint folders, oldest first. */
  List<Path> list() throws IOException {
    if (!Files.isDirectory(root)) return List.of();
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.getFileName().toString().matches("step-\\d+"))
          .filter(p -> Files.isRegularFile(p.resolve(STATE)))
          .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(5))))
          .toList();
    }
  }
}
