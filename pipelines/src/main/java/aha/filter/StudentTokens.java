package aha.filter;

import aha.BadInputException;
import aha.hub.HubClient;
import aha.hub.HubSettings;
import aha.hub.RepoType;
import aha.model.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts tokens with the student's own tokenizer ({@code tokenizer.json}, run by DJL's Hugging
 * Face tokenizers), so the filter's length bounds are the lengths SFT will see: the assistant text
 * {@code <think>...</think>answer} in the student's tokens, with added tokens such as {@code
 * <think>} counted once. The counter carries the file's text, not its path, so it works on any
 * worker; each JVM loads it once.
 */
public final class StudentTokens implements TokenCounter {
  private static final long serialVersionUID = 1L;
  /** One native tokenizer per tokenizer.json text and JVM, shared by the DoFns of all threads. */
  private static final Map<String, TextTokenizer> LOADED = new ConcurrentHashMap<>();

  private final String tokenizerJson;
  private final String origin;

  private StudentTokens(String tokenizerJson, String origin) {
    this.tokenizerJson = tokenizerJson;
    this.origin = origin;
    tokenizer(); // a broken file fails here, in the driver, before any work starts
  }

  /** The tokenizer in a model folder (its {@code tokenizer.json}). */
  public static StudentTokens load(Path dir) {
    Path json = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(json)) throw new BadInputException("tokenizer.path " + dir + " has no tokenizer.json");
    try {
      return new StudentTokens(Files.readString(json), json.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + json, e);
    }
  }

  /** The tokenizer a recipe names: a local folder, or a Hub model (downloaded into the Hugging Face cache). */
  public static StudentTokens of(FilterSpec.TokenizerSpec spec) {
    if (spec.path() != null) return load(Path.of(spec.path()));
    try {
      Path dir = new HubClient(HubSettings.fromEnv())
          .snapshot(spec.hub(), RepoType.MODEL, spec.revision(), List.of("tokenizer*"));
      return load(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot download the tokenizer of " + spec.hub(), e);
    }
  }

  /** Where the tokenizer came from, for messages. */
  public String origin() {
    return origin;
  }

  @Override
  public int count(String text) {
    return tokenizer().encode(text).length;
  }

  private TextTokenizer tokenizer() {
    return LOADED.computeIfAbsent(tokenizerJson, TextTokenizer::fromJson);
  }
}
