package aha.sft;

import aha.BadInputException;
import aha.FileTree;
import aha.hub.HubClient;
import aha.hub.HubSettings;
import aha.hub.RepoType;
import aha.model.Checkpoint;
import aha.model.SafeTensors;
import aha.model.TinyStudent;
import aha.model.chat.ChatMessage;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/** Opens the starting checkpoint a {@link StudentSpec} names. */
public final class Students {
  private Students() {}

  /**
   * The starting model. {@code init: tiny} is written first to {@code scratch/tiny-init} (a
   * character tokenizer whose alphabet is the default one plus every character of the
   * conversations, so nothing maps to unknown) and loaded from there.
   */
  public static Checkpoint open(StudentSpec s, List<List<ChatMessage>> conversations, int maxLength, long seed,
      Path scratch, NDManager manager) throws IOException {
    Path dir;
    if (s.init() != null) {
      int positions = s.maxPositionEmbeddings() != null ? s.maxPositionEmbeddings() : Math.max(1024, maxLength);
      TinyStudent tiny = new TinyStudent(alphabet(conversations), s.hiddenSize(), s.numHiddenLayers(),
          s.numAttentionHeads(), s.numKeyValueHeads(), s.intermediateSize(), positions, seed);
      dir = scratch.resolve("tiny-init");
      FileTree.delete(dir);
      tiny.write(dir, SafeTensors.Dtype.F32);
    } else if (s.path() != null) {
      dir = Path.of(s.path());
      if (!Files.isRegularFile(dir.resolve("config.json"))) {
        throw new BadInputException("model.path " + dir + " is not a model folder (no config.json)");
      }
    } else {
      dir = new HubClient(HubSettings.fromEnv()).snapshot(s.hub(), RepoType.MODEL, s.revision(),
          List.of("*.json", "*.safetensors", "*.jinja", "tokenizer*"));
    }
    Checkpoint c = Checkpoint.load(dir, manager);
    if (c.tokenizer() == null) {
      c.close();
      throw new BadInputException(dir + " has no tokenizer.json; the student needs its tokenizer for SFT");
    }
    return c;
  }

  /** The default alphabet plus every character of the conversations, in a stable order. */
  static String alphabet(List<List<ChatMessage>> conversations) {
    TreeSet<Integer> extra = new TreeSet<>();
    for (List<ChatMessage> conv : conversations) {
      for (ChatMessage m : conv) {
        m.content().codePoints().forEach(extra::add);
        m.role().codePoints().forEach(extra::add);
      }
    }
    StringBuilder sb = new StringBuilder(TinyStudent.DEFAULT_ALPHABET);
    for (int cp : extra) {
      String ch = new String(Character.toChars(cp));
      if (sb.indexOf(ch) < 0) sb.append(ch);
    }
    return sb.toString();
  }
}
