package aha.eval;

import aha.BadInputException;
import aha.FileTree;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.hub.HubClient;
import aha.hub.HubSettings;
import aha.hub.RepoType;
import aha.model.Checkpoint;
import aha.model.Completion;
import aha.model.Generator;
import aha.model.SafeTensors;
import aha.model.SamplingParams;
import aha.model.TinyStudent;
import aha.model.chat.ChatMessage;
import aha.model.chat.ChatTemplate;
import aha.stage.Stage;
import aha.stage.StageContext;
import aha.verify.Reflection;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For each model, for each set: {@code n_samples} seeded completions per problem (plus one greedy
 * one), each verified; then pass@1 +- stderr, pass@k, maj@k, length and reflection rate.
 *
 * <pre>
 * models x sets -> prompts (chat template) -> Generator (batched, KV cache) -> Scorer -> SampleRow
 *               -> data/samples-00000-of-00001.parquet, results.json
 * </pre>
 *
 * Not a Beam pipeline: generation is one model in the driver, like the training stages. Sample j of
 * problem i draws from the seed {@code seed + i * n_samples + j} whatever the batch size.
 */
public final class EvalStage implements Stage<EvalSpec> {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  public static final String RESULTS = "results.json";
  public static final String SPLIT = "samples";

  @Override
  public void run(EvalSpec spec, StageContext ctx) throws Exception {
    long seed = spec.seed() != null ? spec.seed() : ctx.seed();
    Map<String, List<Problem>> sets = new LinkedHashMap<>();
    for (EvalSet s : spec.sets()) sets.put(s.label(), EvalProblems.load(s, ctx::input));
    Scorer scorer = new Scorer(spec.requireAnchor());
    EvalParts parts = new EvalParts(ctx.stateDir());
    List<SampleRow> rows = new ArrayList<>();
    Map<String, Object> eval = new LinkedHashMap<>();
    Map<String, Object> modelDirs = new LinkedHashMap<>();
    long samples = 0;
    long tokens = 0;
    long start = System.nanoTime();
    for (EvalModel model : spec.models()) {
      Path dir = modelDir(model, ctx, seed);
      modelDirs.put(model.label(), dir.toString());
      // parts finished by an earlier, interrupted attempt are read back instead of generated
      Map<String, List<SampleRow>> done = new LinkedHashMap<>();
      Map<String, String> keys = new LinkedHashMap<>();
      for (EvalSet set : spec.sets()) {
        String key = EvalParts.key(spec, seed, model, dir, set, sets.get(set.label()));
        keys.put(set.label(), key);
        List<SampleRow> old = parts.read(key);
        if (old != null) {
          done.put(set.label(), old);
          ctx.count("eval.parts_reused", 1);
        }
      }
      if (done.size() < spec.sets().size()) {
        try (NDManager m = NDManager.newBaseManager();
            Checkpoint ckpt = Checkpoint.load(dir, m)) {
          if (ckpt.tokenizer() == null) {
            throw new BadInputException(dir + " has no tokenizer.json; eval needs one");
          }
          Generator gen = new Generator(ckpt.model(), ckpt.tokenizer(), ckpt.eosTokenIds());
          for (EvalSet set : spec.sets()) {
            if (done.containsKey(set.label())) continue;
            long t0 = System.nanoTime();
            List<SampleRow> made =
                generateSet(spec, seed, ckpt, gen, model, set, sets.get(set.label()), scorer);
            parts.write(keys.get(set.label()), made);
            done.put(set.label(), made);
            samples += made.size();
            tokens += made.stream().mapToLong(SampleRow::length).sum();
            System.err.printf(
                "  eval: %s on %s: %d completions in %.1f s%n",
                model.label(), set.label(), made.size(), (System.nanoTime() - t0) / 1e9);
          }
        }
      }
      Map<String, Object> perSet = new LinkedHashMap<>();
      for (EvalSet set : spec.sets()) {
        List<SampleRow> setRows = done.get(set.label());
        SetScores scores = scores(setRows, sets.get(set.label()), spec.nSamples());
        perSet.put(set.label(), scores.toJson());
        rows.addAll(setRows);
        System.err.printf(
            "  eval: %s on %s: pass@1 %.4f +- %.4f over %d problems%n",
            model.label(),
            set.label(),
            scores.pass1().mean(),
            scores.pass1().stderr(),
            scores.nProblems());
      }
      eval.put(model.label(), perSet);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    ParquetFiles.write(
        ctx.dataDir().resolve(SPLIT + "-00000-of-00001.parquet"),
        SampleRow.SCHEMA,
        rows.stream().map(SampleRow::toAvro).toList());
    Map<String, Object> results = new LinkedHashMap<>();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("n_samples", spec.nSamples());
    settings.put("temperature", spec.temperature());
    settings.put("top_p", spec.topP());
    settings.put("max_new_tokens", spec.maxNewTokens());
    settings.put("seed", seed);
    settings.put("greedy", spec.greedy());
    settings.put("require_anchor", spec.requireAnchor());
    results.put("settings", settings);
    results.put("models", modelDirs);
    results.put("eval", eval);
    // what this attempt generated (parts reused from an interrupted attempt are not counted)
    Map<String, Object> speed = new LinkedHashMap<>();
    speed.put("completions", samples);
    speed.put("completion_tokens", tokens);
    speed.put("seconds", seconds);
    speed.put("samples_per_s", samples / Math.max(seconds, 1e-9));
    speed.put("tokens_per_s", tokens / Math.max(seconds, 1e-9));
    results.put("throughput", speed);
    writeJson(ctx.dir().resolve(RESULTS), results);
    ctx.count("eval.completions", samples);
    ctx.count("eval.completion_tokens", tokens);
    ctx.summary("samples_per_s", Math.round(samples / Math.max(seconds, 1e-9) * 100) / 100.0);
    ctx.summary("tokens_per_s", Math.round(tokens / Math.max(seconds, 1e-9) * 10) / 10.0);
    parts.clear();
  }

  /**
   * The sampled rows (problem by problem, sample_index order), then the greedy rows, of one set.
   */
  static List<SampleRow> generateSet(
      EvalSpec spec,
      long seed,
      Checkpoint ckpt,
      Generator gen,
      EvalModel model,
      EvalSet set,
      List<Problem> problems,
      Scorer scorer) {
    List<String> prompts = prompts(spec, ckpt, problems, model.label(), set.label());
    List<SampleRow> out = new ArrayList<>();
    SamplingParams sampling =
        SamplingParams.sample(spec.temperature(), spec.topP(), spec.maxNewTokens(), seed);
    generate(
        gen,
        prompts,
        spec.nSamples(),
        spec.batchSize(),
        sampling,
        (i, j, c) ->
            out.add(row(model.label(), set.label(), problems.get(i), j, false, c, scorer)));
    if (spec.greedy()) {
      generate(
          gen,
          prompts,
          1,
          spec.batchSize(),
          SamplingParams.greedy(spec.maxNewTokens()),
          (i, j, c) ->
              out.add(row(model.label(), set.label(), problems.get(i), 0, true, c, scorer)));
    }
    return out;
  }

  /** Scores of one set from its rows, problems in the set's order. */
  static SetScores scores(List<SampleRow> rows, List<Problem> problems, int n) {
    Map<String, List<SampleRow>> byProblem = new LinkedHashMap<>();
    for (Problem p : problems) byProblem.put(p.id(), new ArrayList<>());
    List<SampleRow> greedy = new ArrayList<>();
    for (SampleRow r : rows) {
      if (r.greedy()) greedy.add(r);
      else byProblem.get(r.problemId()).add(r);
    }
    return SetScores.of(new ArrayList<>(byProblem.values()), greedy, n);
  }

  /** Receives completion {@code j} of prompt {@code i}. */
  interface Sink {
    void accept(int i, int j, Completion c);
  }

  /**
   * Generates {@code n} completions per prompt, {@code batch} rows per forward. Row g = i * n + j
   * draws from {@code seed + g}: the generator seeds row r of a call with {@code seed + r}, so each
   * call starts at the seed of its first row.
   */
  static void generate(
      Generator gen, List<String> prompts, int n, int batch, SamplingParams params, Sink sink) {
    long total = (long) prompts.size() * n;
    long start = System.nanoTime();
    long lastPrint = start;
    for (long g0 = 0; g0 < total; g0 += batch) {
      long now = System.nanoTime();
      if (now - lastPrint > 10_000_000_000L) {
        lastPrint = now;
        double secs = (now - start) / 1e9;
        System.err.printf(
            "  eval: %d/%d completions, %.1f/s, ETA %.0f s%n",
            g0, total, g0 / secs, (total - g0) / (g0 / secs));
      }
      int size = (int) Math.min(batch, total - g0);
      List<String> chunk = new ArrayList<>(size);
      for (int r = 0; r < size; r++) chunk.add(prompts.get((int) ((g0 + r) / n)));
      SamplingParams p =
          new SamplingParams(
              params.temperature(),
              params.topP(),
              params.topK(),
              params.minP(),
              params.maxNewTokens(),
              params.seed() + g0,
              params.stop());
      List<Completion> out = gen.generateText(chunk, p);
      for (int r = 0; r < size; r++) {
        long g = g0 + r;
        sink.accept((int) (g / n), (int) (g % n), out.get(r));
      }
    }
  }

  static SampleRow row(
      String model, String set, Problem p, int j, boolean greedy, Completion c, Scorer scorer) {
    String text = c.text() == null ? "" : c.text();
    Scorer.Scored s = scorer.score(p, text);
    return new SampleRow(
        model,
        set,
        p.id(),
        j,
        greedy,
        text,
        s.answer(),
        s.verdict().asBoolean(),
        c.tokenIds().length,
        Reflection.reflects(text),
        c.finishReason().apiName());
  }

  /** Chat-templated prompts; every one must leave room for max_new_tokens. */
  static List<String> prompts(
      EvalSpec spec, Checkpoint ckpt, List<Problem> problems, String model, String set) {
    ChatTemplate template = ckpt.chatTemplate();
    int maxPositions = ckpt.model().config().maxPositionEmbeddings();
    List<String> out = new ArrayList<>();
    for (Problem p : problems) {
      List<ChatMessage> messages = new ArrayList<>();
      if (spec.systemPrompt() != null) messages.add(ChatMessage.system(spec.systemPrompt()));
      messages.add(ChatMessage.user(spec.promptTemplate().replace("{problem}", p.problem())));
      String prompt = template.render(messages, true) + spec.responsePrefix();
      int length = ckpt.tokenizer().encode(prompt).length;
      if (length + spec.maxNewTokens() > maxPositions) {
        throw new BadInputException(
            "eval set "
                + set
                + ", problem "
                + p.id()
                + ": its prompt of "
                + length
                + " tokens plus max_new_tokens "
                + spec.maxNewTokens()
                + " exceeds model "
                + model
                + "'s max_position_embeddings "
                + maxPositions
                + "; lower max_new_tokens, set a limit, or use a larger model");
      }
      out.add(prompt);
    }
    return out;
  }

  /**
   * The model folder of a reference, writing the tiny init or downloading from the Hub if needed.
   */
  static Path modelDir(EvalModel model, StageContext ctx, long seed) throws IOException {
    if (model.stage() != null) {
      Path dir = ctx.input(model.stage()).resolve(model.checkpoint());
      if (!Files.isDirectory(dir))
        throw new BadInputException(
            "stage " + model.stage() + " has no " + model.checkpoint() + "/ folder at " + dir);
      return dir;
    }
    if (model.path() != null) {
      Path dir = Path.of(model.path()).toAbsolutePath();
      if (!Files.isDirectory(dir))
        throw new BadInputException("model " + model.label() + ": " + dir + " is not a folder");
      return dir;
    }
    if (model.hub() != null) {
      return new HubClient(HubSettings.fromEnv())
          .snapshot(
              model.hub(),
              RepoType.MODEL,
              model.revision(),
              List.of("*.json", "*.safetensors", "*.txt", "*.model"));
    }
    // init: tiny, the untrained student; written once per seed into the state folder
    long s = model.seed() != null ? model.seed() : seed;
    Path dir = ctx.stateDir().resolve("models").resolve("tiny-" + s);
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
      FileTree.delete(tmp);
      TinyStudent.defaults(s).write(tmp, SafeTensors.Dtype.F32);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }
    return dir;
  }

  static void writeJson(Path file, Object value) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), value);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
