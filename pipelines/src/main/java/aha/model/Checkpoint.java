package aha.model;

import aha.BadInputException;
import aha.FileTree;
import aha.model.chat.ChatTemplate;
import aha.model.chat.ChatTemplates;
import aha.model.tokenizer.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A Hugging Face model folder (DESIGN contract 4): {@code config.json}, {@code model.safetensors}
 * or shards listed in {@code model.safetensors.index.json}, {@code tokenizer.json}, {@code
 * tokenizer_config.json} (with {@code chat_template}) and {@code generation_config.json}.
 */
public final class Checkpoint implements AutoCloseable {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final CausalLM model;
  private final TextTokenizer tokenizer;
  private final Set<Integer> eosTokenIds;

  private Checkpoint(CausalLM model, TextTokenizer tokenizer, Set<Integer> eosTokenIds) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.eosTokenIds = eosTokenIds;
  }

  /** Loads the model and, when the folder has one, the tokenizer. */
  public static Checkpoint load(Path dir, NDManager manager) {
    CausalLM model = loadModel(dir, manager);
    TextTokenizer tok =
        Files.isRegularFile(dir.resolve("tokenizer.json")) ? TextTokenizer.load(dir) : null;
    return new Checkpoint(model, tok, eosTokenIds(dir, model.config(), tok));
  }

  public CausalLM model() {
    return model;
  }

  /** The tokenizer, or null for a folder without tokenizer.json. */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** The chat template of the tokenizer (ChatML when there is no tokenizer or template). */
  public ChatTemplate chatTemplate() {
    return tokenizer == null
        ? new aha.model.chat.ChatMlTemplate()
        : ChatTemplates.forTokenizer(tokenizer);
  }

  /**
   * Ids that end a generation: generation_config.json's eos_token_id (one or a list),
   * config.json's, and tokenizer_config.json's eos_token.
   */
  public Set<Integer> eosTokenIds() {
    return eosTokenIds;
  }

  /** Reads config.json and the weights; missing tensors or wrong shapes name file and tensor. */
  public static CausalLM loadModel(Path dir, NDManager manager) {
    Path configFile = dir.resolve("config.json");
    if (!Files.isRegularFile(configFile)) {
      throw new BadInputException(dir + " is not a model folder: it has no config.json");
    }
    ModelConfig config = ModelConfig.read(configFile);
    Map<String, Path> sources = new HashMap<>();
    try (NDManager tmp = manager.newSubManager()) {
      Map<String, NDArray> tensors = readTensors(dir, tmp, sources);
      Map<String, Shape> expected = CausalLM.expectedShapes(config);
      Path weights =
          Files.isRegularFile(dir.resolve("model.safetensors"))
              ? dir.resolve("model.safetensors")
              : dir.resolve("model.safetensors.index.json");
      for (var e : expected.entrySet()) {
        NDArray a = tensors.get(e.getKey());
        if (a == null) {
          throw new BadInputException(weights + ": tensor " + e.getKey() + " is missing");
        }
        if (!a.getShape().equals(e.getValue())) {
          throw new BadInputException(
              sources.get(e.getKey())
                  + ": tensor "
                  + e.getKey()
                  + " has shape "
                  + a.getShape()
                  + ", expected "
                  + e.getValue());
        }
      }
      // the model attaches the tensors it uses; extras (tied lm_head, inv_freq) die with tmp
      return new CausalLM(config, tensors, manager);
    }
  }

  /** All tensors of the single file or of every shard, float32; records each tensor's file. */
  static Map<String, NDArray> readTensors(Path dir, NDManager m, Map<String, Path> sources) {
    Path single = dir.resolve("model.safetensors");
    Path index = dir.resolve("model.safetensors.index.json");
    List<Path> files = new ArrayList<>();
    if (Files.isRegularFile(single)) {
      files.add(single);
    } else if (Files.isRegularFile(index)) {
      JsonNode map;
      try {
        map = JSON.readTree(index.toFile()).get("weight_map");
      } catch (IOException e) {
        throw new BadInputException("Cannot read " + index + " as JSON: " + e.getMessage(), e);
      }
      if (map == null || !map.isObject()) {
        throw new BadInputException(index + ": key 'weight_map' is missing or not an object");
      }
      Set<String> shards = new TreeSet<>();
      for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) shards.add(it.next().asText());
      for (String s : shards) {
        Path shard = dir.resolve(s);
        if (!Files.isRegularFile(shard)) {
          throw new BadInputException(index + " names shard " + s + ", which does not exist");
        }
        files.add(shard);
      }
    } else {
      throw new BadInputException(
          dir + " has neither model.safetensors nor model.safetensors.index.json");
    }
    Map<String, NDArray> all = new LinkedHashMap<>();
    for (Path f : files) {
      for (var e : SafeTensors.read(f, m).entrySet()) {
        all.put(e.getKey(), e.getValue());
        sources.put(e.getKey(), f);
      }
    }
    return all;
  }

  static Set<Integer> eosTokenIds(Path dir, ModelConfig config, TextTokenizer tok) {
    Set<Integer> ids = new LinkedHashSet<>();
    Path gen = dir.resolve("generation_config.json");
    if (Files.isRegularFile(gen)) {
      try {
        JsonNode e = JSON.readTree(gen.toFile()).get("eos_token_id");
        if (e != null && e.isArray()) e.forEach(x -> ids.add(x.asInt()));
        else if (e != null && e.isNumber()) ids.add(e.asInt());
      } catch (IOException ex) {
        throw new BadInputException("Cannot read " + gen + " as JSON: " + ex.getMessage(), ex);
      }
    }
    ids.addAll(config.eosTokenIds());
    if (tok != null && tok.tokenId(tok.eosToken()) != null) ids.add(tok.tokenId(tok.eosToken()));
    return ids;
  }

  /**
   * Writes a complete model folder: config.json, model.safetensors ({@code dtype}, real tensor
   * names, tied head left out as transformers does), generation_config.json, and the tokenizer
   * files with {@code chatTemplate}'s Jinja source when both are given. Everything is written to a
   * temporary sibling folder that is then renamed over {@code dir}, so a reader never sees a
   * half-written checkpoint.
   */
  public static void save(
      Path dir,
      CausalLM model,
      TextTokenizer tokenizer,
      ChatTemplate chatTemplate,
      Set<Integer> eosTokenIds,
      SafeTensors.Dtype dtype)
      throws IOException {
    if (Files.exists(dir) && !replaceable(dir)) {
      throw new BadInputException(
          dir + " exists and is not a model folder (no config.json); refusing to replace it");
    }
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    String base = dir.getFileName().toString();
    Path tmp = Files.createTempDirectory(parent, "." + base + ".tmp-");
    try {
      ObjectNode cfg = model.config().toJson();
      cfg.put("torch_dtype", dtype == SafeTensors.Dtype.BF16 ? "bfloat16" : "float32");
      Files.writeString(tmp.resolve("config.json"), JSON.writeValueAsString(cfg) + "\n");
      SafeTensors.write(tmp.resolve("model.safetensors"), model.parameters(), dtype);
      ObjectNode gen = JSON.createObjectNode();
      if (model.config().bosTokenId() != null) gen.put("bos_token_id", model.config().bosTokenId());
      Set<Integer> eos = new LinkedHashSet<>(eosTokenIds);
      if (eos.isEmpty()) eos.addAll(model.config().eosTokenIds());
      ArrayNode e = gen.putArray("eos_token_id");
      eos.forEach(e::add);
      if (tokenizer != null && tokenizer.tokenId(tokenizer.padToken()) != null) {
        gen.put("pad_token_id", tokenizer.tokenId(tokenizer.padToken()));
      }
      Files.writeString(tmp.resolve("generation_config.json"), JSON.writeValueAsString(gen) + "\n");
      if (tokenizer != null) {
        tokenizer.save(tmp, chatTemplate == null ? null : chatTemplate.jinjaSource());
      }
      replace(tmp, dir);
    } catch (IOException | RuntimeException ex) {
      FileTree.delete(tmp);
      throw ex;
    }
  }

  /** Only an earlier checkpoint (it has config.json) or an empty folder is ever replaced. */
  private static boolean replaceable(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return false;
    if (Files.isRegularFile(dir.resolve("config.json"))) return true;
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /** Moves {@code tmp} to {@code dir}, replacing an existing folder only once tmp is complete. */
  private static void replace(Path tmp, Path dir) throws IOException {
    Path old = null;
    if (Files.exists(dir)) {
      old = dir.resolveSibling("." + dir.getFileName() + ".old-" + System.nanoTime());
      Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) FileTree.delete(old);
  }

  @Override
  public void close() {
    if (tokenizer != null) tokenizer.close();
    model.close();
  }
}
