package aha.stage;

import aha.BadInputException;
import aha.FileTree;
import aha.cli.Versions;
import aha.dataset.ParquetFiles;
import aha.recipe.Recipe;
import aha.recipe.RecipeLoader;
import aha.recipe.StageSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs a recipe's stages in order. Each stage writes into {@code .<NN>-<name>.tmp} and is renamed
 * to {@code <NN>-<name>} once its manifest is written, so a crash never leaves a folder that could
 * pass for complete. A stage whose manifest matches its config is skipped; a stage whose manifest
 * does not match is an error unless {@code force}.
 */
public final class StageRunner {
  /**
   * @param onlyStage run only this stage (its inputs must be finished), or null for all
   * @param outputRoot overrides the recipe's {@code output_dir}, or null
   * @param pipelineChecks keep the DirectRunner's slow immutability checks (tests)
   */
  public record Options(
      Runner runner, String sparkMaster, boolean force, String onlyStage, Path outputRoot, boolean pipelineChecks) {
    public static Options defaults() {
      return new Options(Runner.DIRECT, null, false, null, null, false);
    }
  }

  /** What happened to one stage. */
  public enum Outcome { RAN, SKIPPED }

  /** A stage's folder and what the runner did with it. */
  public record Result(String stage, Path dir, Outcome outcome) {}

  private final Options options;
  private final PrintStream out;

  public StageRunner(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** The folder of a recipe's run: {@code <output_dir>/<name>}. */
  public static Path runDir(Recipe recipe, Options options) {
    Path root = options.outputRoot() != null ? options.outputRoot() : Path.of(recipe.outputDir());
    return root.resolve(recipe.name()).toAbsolutePath().normalize();
  }

  /** The folder of stage {@code index} (0-based). */
  public static Path stageDir(Path runDir, int index, StageSpec spec) {
    return runDir.resolve(String.format("%02d-%s", index + 1, spec.stageName()));
  }

  public List<Result> run(Recipe recipe, Path recipeFile) throws Exception {
    if (options.onlyStage() != null && recipe.stage(options.onlyStage()) == null) {
      List<String> names = recipe.stages().stream().map(StageSpec::stageName).toList();
      String hint = aha.recipe.Suggest.nearest(options.onlyStage(), names).map(s -> "; did you mean '" + s + "'?").orElse("");
      throw new BadInputException("--stage " + options.onlyStage() + " is not a stage of " + recipeFile + hint + " (stages: " + names + ")");
    }
    Path runDir = runDir(recipe, options);
    Files.createDirectories(runDir);
    String recipeSha = sha256(Files.readAllBytes(recipeFile));
    Map<String, Path> finished = new LinkedHashMap<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    List<Result> results = new ArrayList<>();
    List<StageSpec> stages = recipe.stages();
    stages:
    for (int i = 0; i < stages.size(); i++) {
      StageSpec spec = stages.get(i);
      Path dir = stageDir(runDir, i, spec);
      JsonNode config = RecipeLoader.json().valueToTree(spec);
      boolean selected = options.onlyStage() == null || options.onlyStage().equals(spec.stageName());
      Map<String, Path> inputs = new TreeMap<>();
      List<Manifest.Input> inputList = new ArrayList<>();
      for (String ref : spec.inputs()) {
        String from = ref.contains(".") ? ref.substring(0, ref.indexOf('.')) : ref;
        if (!finished.containsKey(from)) {
          // with --stage, a later stage whose inputs are not made yet is simply not looked at
          if (!selected) continue stages;
          throw new BadInputException("stage " + spec.stageName() + " reads " + from + ", which is not finished; run "
              + "'scripts/aha run " + recipeFile + " --stage " + from + "' first");
        }
        inputs.put(from, finished.get(from));
        inputList.add(new Manifest.Input(from, runDir.relativize(finished.get(from)).toString(), hashes.get(from)));
      }
      String hash = configHash(config, recipe.seed(), inputList);
      JsonNode existing = Manifest.read(dir);
      boolean matches = existing != null && hash.equals(existing.path("config_hash").asText());
      if (existing != null && !matches && !options.force() && selected) {
        throw new BadInputException(dir + " was made from a different config or inputs (changed: "
            + changedKeys(existing, config, recipe.seed(), inputList) + "); rerun with --force to replace it, or change the recipe's name");
      }
      if (!selected || (matches && !options.force())) {
        if (matches) {
          finished.put(spec.stageName(), dir);
          hashes.put(spec.stageName(), hash);
          if (selected) out.printf("[%d/%d] %s: up to date, skipped (%s)%n", i + 1, stages.size(), spec.stageName(), dir);
          if (selected) Stages.of(spec).published(spec, dir);
          results.add(new Result(spec.stageName(), dir, Outcome.SKIPPED));
        }
        continue;
      }
      runStage(recipe, recipeFile, recipeSha, i, spec, dir, config, hash, inputs, inputList);
      finished.put(spec.stageName(), dir);
      hashes.put(spec.stageName(), hash);
      results.add(new Result(spec.stageName(), dir, Outcome.RAN));
    }
    return results;
  }

  private void runStage(Recipe recipe, Path recipeFile, String recipeSha, int i, StageSpec spec, Path dir, JsonNode config,
      String hash, Map<String, Path> inputs, List<Manifest.Input> inputList) throws Exception {
    int total = recipe.stages().size();
    out.printf("[%d/%d] %s: running (%s runner)%n", i + 1, total, spec.stageName(), options.runner());
    Path tmp = dir.resolveSibling("." + dir.getFileName() + ".tmp");
    FileTree.delete(tmp);
    Files.createDirectories(tmp.resolve("data"));
    Instant started = Instant.now();
    StageContext ctx = new StageContext(spec.stageName(), tmp, recipe.seed(), inputs, options);
    try {
      Stages.of(spec).run(spec, ctx);
      removeBeamLeftovers(tmp.resolve("data"));
      Instant finishedAt = Instant.now();
      double seconds = (finishedAt.toEpochMilli() - started.toEpochMilli()) / 1000.0;
      Map<String, Manifest.Split> splits = splits(tmp.resolve("data"));
      Manifest m = new Manifest(Versions.AHA, spec.stageName(), spec.type(), i + 1, recipeFile.toString(), recipeSha,
          recipe.seed(), config, hash, inputList, splits, ctx.counters(), ctx.summary(),
          new Manifest.Timing(started.toString(), finishedAt.toString(), seconds), versions());
      m.write(tmp);
      replace(tmp, dir);
      Stages.of(spec).published(spec, dir);
      StringBuilder rows = new StringBuilder();
      splits.forEach((k, v) -> rows.append(rows.length() == 0 ? "" : ", ").append(k).append(' ').append(v.rows()).append(" rows"));
      out.printf("[%d/%d] %s: done in %.1f s%s -> %s%n", i + 1, total, spec.stageName(), seconds,
          rows.length() == 0 ? "" : " (" + rows + ")", dir);
    } catch (Exception | Error e) {
      FileTree.delete(tmp);
      throw e;
    }
  }

  private static Map<String, String> versions() {
    Map<String, String> v = new TreeMap<>();
    v.put("aha", Versions.AHA);
    v.put("java", System.getProperty("java.version"));
    v.put("beam", org.apache.beam.sdk.util.ReleaseInfo.getReleaseInfo().getVersion());
    return v;
  }

  /** Rows and files per split, read from the Parquet footers (runner-independent). */
  static Map<String, Manifest.Split> splits(Path dataDir) throws IOException {
    Map<String, List<Path>> bySplit = new TreeMap<>();
    try (Stream<Path> files = Files.list(dataDir)) {
      files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().forEach(p -> {
        String name = p.getFileName().toString();
        String split = name.replaceFirst("-\\d{5}-of-\\d{5}\\.parquet$", "");
        bySplit.computeIfAbsent(split, k -> new ArrayList<>()).add(p);
      });
    }
    Map<String, Manifest.Split> out = new TreeMap<>();
    bySplit.forEach((split, files) -> {
      long rows = files.stream().mapToLong(ParquetFiles::rowCount).sum();
      out.put(split, new Manifest.Split(rows, files.stream().map(f -> "data/" + f.getFileName()).toList()));
    });
    return out;
  }

  private static String configHash(JsonNode config, long seed, List<Manifest.Input> inputs) throws IOException {
    ObjectNode n = RecipeLoader.json().createObjectNode();
    n.set("config", config);
    n.put("seed", seed);
    n.set("inputs", RecipeLoader.json().valueToTree(inputs.stream().map(Manifest.Input::configHash).toList()));
    return sha256(RecipeLoader.json().writeValueAsBytes(n));
  }

  private static String changedKeys(JsonNode manifest, JsonNode config, long seed, List<Manifest.Input> inputs) {
    TreeSet<String> changed = new TreeSet<>();
    diff("", manifest.path("config"), config, changed);
    if (manifest.path("seed").asLong() != seed) changed.add("seed");
    List<String> oldInputs = new ArrayList<>();
    manifest.path("inputs").forEach(n -> oldInputs.add(n.path("config_hash").asText()));
    if (!oldInputs.equals(inputs.stream().map(Manifest.Input::configHash).toList())) changed.add("inputs");
    return changed.isEmpty() ? "the manifest's hash" : String.join(", ", changed);
  }

  private static void diff(String path, JsonNode a, JsonNode b, TreeSet<String> out) {
    if (a.isObject() && b.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) diff(path.isEmpty() ? k : path + "." + k, a.path(k), b.path(k), out);
    } else if (!a.equals(b)) {
      out.add(path.isEmpty() ? "config" : path);
    }
  }

  private static void replace(Path tmp, Path dir) throws IOException {
    if (Files.exists(dir)) {
      Path old = dir.resolveSibling("." + dir.getFileName() + ".old");
      FileTree.delete(old);
      Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      FileTree.delete(old);
    } else {
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Beam's FileIO leaves an empty {@code .temp-beam-*} folder behind. */
  private static void removeBeamLeftovers(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir)) return;
    try (Stream<Path> s = Files.list(dataDir)) {
      for (Iterator<Path> it = s.iterator(); it.hasNext(); ) {
        Path p = it.next();
        if (p.getFileName().toString().startsWith(".temp-beam")) FileTree.delete(p);
      }
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String s) {
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }
}
