package aha.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * README.md cards for repositories aha pushes. A dataset card's front matter carries a {@code
 * configs} block whose {@code data_files} name each split, which is how {@code datasets} and the
 * dataset viewer find splits; a model card tells the Hub it is a transformers text-generation
 * model.
 */
public final class RepoCard {
  /**
   * Shards as {@code push_to_hub} and aha's stages write them: {@code
   * data/train-00000-of-00003.parquet}.
   */
  private static final Pattern SHARD =
      Pattern.compile(
          "^(?:(?<dir>.*)/)?(?<split>\\w+(?:\\.\\w+)*)-\\d{5}-of-\\d{5}\\.(?<ext>parquet|jsonl|json|csv|arrow)$");

  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

  private RepoCard() {}

  /** A card for the repository type. */
  public static String generate(RepoType type, String repoId, List<String> paths) {
    return type == RepoType.DATASET ? datasetCard(repoId, paths) : modelCard(repoId, paths);
  }

  /**
   * Dataset card. Each folder of shards is one config ({@code data/} at the root is {@code
   * default}, {@code <name>/data/} or {@code <name>/} is {@code <name>}); each split gets {@code
   * path: <folder>/<split>-*}.
   */
  public static String datasetCard(String repoId, List<String> paths) {
    Map<String, Map<String, String>> configs = new TreeMap<>(); // config -> split -> glob
    for (String p : paths) {
      Matcher m = SHARD.matcher(p);
      if (!m.matches()) {
        continue;
      }
      String dir = m.group("dir");
      String config =
          dir == null || dir.equals("data")
              ? "default"
              : dir.replaceFirst("/data$", "").replace('/', '_');
      String glob = (dir == null ? "" : dir + "/") + m.group("split") + "-*";
      configs
          .computeIfAbsent(config, k -> new LinkedHashMap<>())
          .putIfAbsent(m.group("split"), glob);
    }
    Map<String, Object> front = new LinkedHashMap<>();
    if (!configs.isEmpty()) {
      List<Object> list = new ArrayList<>();
      configs.entrySet().stream()
          .sorted(
              (a, b) ->
                  a.getKey().equals("default")
                      ? -1
                      : b.getKey().equals("default") ? 1 : a.getKey().compareTo(b.getKey()))
          .forEach(
              e -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("config_name", e.getKey());
                List<Object> files = new ArrayList<>();
                splitOrder(e.getValue())
                    .forEach(
                        split -> {
                          Map<String, Object> df = new LinkedHashMap<>();
                          df.put("split", split);
                          df.put("path", e.getValue().get(split));
                          files.add(df);
                        });
                c.put("data_files", files);
                list.add(c);
              });
      front.put("configs", list);
    }
    front.put("tags", List.of("aha", "reasoning", "synthetic"));
    StringBuilder body = new StringBuilder();
    body.append("# ").append(name(repoId)).append("\n\n");
    body.append("Dataset written by aha (the DeepSeek-R1 recipe on the JVM).\n\n");
    if (configs.isEmpty()) {
      body.append(
          "No sharded data files were found, so `datasets` infers the splits from file names.\n");
    } else {
      body.append("| config | split | files |\n|---|---|---|\n");
      configs.forEach(
          (c, splits) ->
              splitOrder(splits)
                  .forEach(
                      s ->
                          body.append("| ")
                              .append(c)
                              .append(" | ")
                              .append(s)
                              .append(" | `")
                              .append(splits.get(s))
                              .append("` |\n")));
      body.append("\n```python\nfrom datasets import load_dataset\nds = load_dataset(\"")
          .append(repoId)
          .append("\")\n```\n");
    }
    return frontMatter(front) + "\n" + body;
  }

  /** Model card for a Hugging Face model folder (config.json, model.safetensors, tokenizer). */
  public static String modelCard(String repoId, List<String> paths) {
    Map<String, Object> front = new LinkedHashMap<>();
    front.put("library_name", "transformers");
    front.put("pipeline_tag", "text-generation");
    front.put("tags", List.of("aha", "reasoning", "grpo"));
    StringBuilder body = new StringBuilder();
    body.append("# ").append(name(repoId)).append("\n\n");
    body.append(
        "Checkpoint written by aha (the DeepSeek-R1 recipe on the JVM) in the Hugging Face model layout.\n\n");
    body.append("```python\nfrom transformers import AutoModelForCausalLM, AutoTokenizer\n")
        .append("model = AutoModelForCausalLM.from_pretrained(\"")
        .append(repoId)
        .append("\")\n")
        .append("tokenizer = AutoTokenizer.from_pretrained(\"")
        .append(repoId)
        .append("\")\n```\n\n");
    body.append("Files: ").append(paths.size()).append(".\n");
    return frontMatter(front) + "\n" + body;
  }

  /** train, validation, test first (the order {@code datasets} uses), then the rest sorted. */
  private static List<String> splitOrder(Map<String, String> splits) {
    List<String> order = new ArrayList<>();
    for (String s : List.of("train", "validation", "test")) {
      if (splits.containsKey(s)) {
        order.add(s);
      }
    }
    splits.keySet().stream().filter(s -> !order.contains(s)).sorted().forEach(order::add);
    return order;
  }

  private static String frontMatter(Map<String, Object> front) {
    try {
      return "---\n" + YAML.writeValueAsString(front) + "---\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(String repoId) {
    return repoId.substring(repoId.indexOf('/') + 1);
  }
}
