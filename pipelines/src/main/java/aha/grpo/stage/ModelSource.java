package aha.grpo.stage;

import aha.hub.HubClient;
import aha.hub.HubSettings;
import aha.hub.RepoType;
import aha.model.SafeTensors;
import aha.model.TinyStudent;
import aha.recipe.Checks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a training stage's starting model comes from: {@code {init: tiny}} (a random tiny Qwen2
 * with a character tokenizer, {@link TinyStudent}), {@code {path: DIR}} (a Hugging Face model
 * folder) or {@code {hub: org/name, revision: main}} (downloaded through the Hub cache). The tiny
 * size keys override {@link TinyStudent#defaults}.
 */
public record ModelSource(
    String init,
    String tokenizer,
    String path,
    String hub,
    String revision,
    Integer hidden,
    Integer layers,
    Integer heads,
    Integer kvHeads,
    Integer intermediate,
    Integer maxPositions) {

  void validate(Checks c) {
    int given = (init != null ? 1 : 0) + (path != null ? 1 : 0) + (hub != null ? 1 : 0);
    if (given != 1) {
      c.fail("", "needs exactly one of init, path or hub, got " + given);
    }
    c.oneOf(init, "init", List.of("tiny"));
    c.oneOf(tokenizer, "tokenizer", List.of("chars"));
    c.range(hidden, "hidden", 8, 65536);
    c.range(layers, "layers", 1, 256);
    c.range(heads, "heads", 1, 256);
    c.range(kvHeads, "kv_heads", 1, 256);
    c.range(intermediate, "intermediate", 1, 1 << 20);
    c.range(maxPositions, "max_positions", 16, 1 << 20);
    if (hidden != null && heads != null && hidden % heads != 0) {
      c.fail("heads", "must divide hidden (" + hidden + "), got " + heads);
    }
    if (heads != null && kvHeads != null && heads % kvHeads != 0) {
      c.fail("kv_heads", "must divide heads (" + heads + "), got " + kvHeads);
    }
  }

  /**
   * The model folder to load: the given path, the Hub snapshot, or a tiny student written once into
   * {@code scratch} (seeded, so a rerun writes the same weights).
   */
  Path resolve(Path scratch, long seed) throws IOException {
    if (path != null) return Path.of(path);
    if (hub != null) {
      return new HubClient(HubSettings.fromEnv())
          .snapshot(hub, RepoType.MODEL, revision == null ? "main" : revision, List.of());
    }
    TinyStudent student = tiny(seed);
    // named by its settings: a changed size or seed never reuses an old folder
    Path dir = scratch.resolve(String.format("init-tiny-%08x", student.hashCode()));
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      student.write(dir, SafeTensors.Dtype.F32);
    }
    return dir;
  }

  TinyStudent tiny(long seed) {
    TinyStudent d = TinyStudent.defaults(seed);
    return new TinyStudent(
        d.alphabet(),
        hidden != null ? hidden : d.hidden(),
        layers != null ? layers : d.layers(),
        heads != null ? heads : d.heads(),
        kvHeads != null ? kvHeads : (heads != null ? heads : d.kvHeads()),
        intermediate != null ? intermediate : d.intermediate(),
        maxPositions != null ? maxPositions : d.maxPositions(),
        seed);
  }
}
