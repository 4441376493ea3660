package aha.generate;

import aha.BadInputException;
import aha.WorkFailedException;
import aha.dataset.AvroRowCoder;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.dataset.ProblemGenerations;
import aha.dataset.WriteSplit;
import aha.stage.Stage;
import aha.stage.StageContext;
import aha.teacher.Generation;
import aha.teacher.LocalTeacher;
import aha.teacher.LocalTeacherServer;
import aha.teacher.TeacherClientConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Problems in, one row per problem with all its teacher generations out ({@link
 * ProblemGenerations}, the layout of OpenR1-Math-220k):
 *
 * <pre>
 * ReadProblems -> [FirstProblems] -> BucketProblems -> CallTeacher (ledger-backed, bounded concurrency) -> WriteGenerations
 *                                                                \-> rows with a failed sample (the stage fails, naming the
 *                                                                    first reason, unless allow_failures)
 * </pre>
 *
 * With {@code teacher.kind: local} the stage starts aha's R1-style teacher on 127.0.0.1 for its
 * duration; the requests travel the same HTTP path as to DeepSeek's API or vLLM.
 */
public final class GenerateStage implements Stage<GenerateSpec> {
  static final String FAILED = "failed";
  static final int BUCKETS = 64;

  @Override
  public void run(GenerateSpec spec, StageContext ctx) throws IOException {
    Path input = ctx.input(spec.from()).resolve("data");
    List<Path> files = ParquetFiles.split(input, spec.fromSplit());
    if (files.isEmpty() || files.stream().mapToLong(ParquetFiles::rowCount).sum() == 0) {
      throw new BadInputException(input + " has no " + spec.fromSplit() + " problems to generate for");
    }
    TeacherSpec t = spec.teacher();
    // The local teacher runs in this JVM (the driver) on 127.0.0.1 for the whole stage and executors
    // call it over HTTP, so they must all run on this host (docs/cluster.md).
    if (t.local() && !ctx.workersOnThisHost()) {
      throw new BadInputException("teacher kind: local listens on 127.0.0.1 of the driver, which executors on other hosts "
          + "cannot reach; start it on a reachable address with 'scripts/aha teach serve --host ADDR --port 8000' and use "
          + "teacher: {kind: openai, base_url: http://ADDR:8000/v1, model: aha-local-teacher}");
    }
    LocalTeacherServer server = t.local()
        ? LocalTeacherServer.start("127.0.0.1", 0,
            new LocalTeacher(new LocalTeacher.Options(t.slipRate(), t.catchRate(), ctx.seed(), t.verbosity(), false)),
            LocalTeacherServer.Faults.NONE)
        : null;
    try {
      String baseUrl = server != null ? server.baseUrl() : t.baseUrl();
      TeacherClientConfig client = TeacherClientConfig.defaults(baseUrl, t.apiKeyEnv())
          .withConcurrency(t.maxInFlight(), t.maxInFlight(), 2 * t.maxInFlight())
          .withRetries(t.maxAttempts(), Duration.ofMillis(500), Duration.ofSeconds(60));
      SamplingSpec s = spec.sampling();
      Generation.Settings settings = new Generation.Settings(t.model(), spec.numGenerations(), t.nPerRequest(),
          s.temperature(), s.topP(), s.maxTokens(), s.extra(), t.stream(), !t.nPerRequest(), spec.maxRequests());
      Path ledger = ctx.stateDir().resolve("ledger");
      Files.createDirectories(ledger);
      deleteFailedRowsOfEarlierAttempts(ctx.stateDir().resolve(FAILED));

      Pipeline p = ctx.newPipeline();
      PCollection<Problem> problems = p
          .apply("ReadProblems", ParquetIO.read(Problem.SCHEMA).from(input + "/" + spec.fromSplit() + "-*.parquet"))
          .apply("ToProblems", MapElements.into(TypeDescriptor.of(Problem.class)).via(Problem::fromAvro))
          .setCoder(SerializableCoder.of(Problem.class));
      if (spec.limit() != null) {
        problems = problems
            .apply("FirstProblems", Top.of(spec.limit(), new ById()))
            .apply("Unlist", FlatMapElements.into(TypeDescriptor.of(Problem.class)).via((List<Problem> l) -> l))
            .setCoder(SerializableCoder.of(Problem.class));
      }
      // Spread problems over buckets: each bucket is a bundle of requests in flight together, and
      // finished buckets move the progress bar.
      problems = problems
          .apply("BucketProblems", WithKeys.of((SerializableFunction<Problem, Integer>) pr -> Math.floorMod(pr.id().hashCode(), BUCKETS))
              .withKeyType(TypeDescriptors.integers()))
          .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(Problem.class)))
          .apply("GroupBuckets", GroupByKey.create())
          .apply("Ungroup", FlatMapElements.into(TypeDescriptor.of(Problem.class)).via((KV<Integer, Iterable<Problem>> kv) -> kv.getValue()))
          .setCoder(SerializableCoder.of(Problem.class));
      long total = files.stream().mapToLong(ParquetFiles::rowCount).sum();
      ctx.progress("generate.problems_done", spec.limit() == null ? total : Math.min(total, spec.limit()));
      PCollectionTuple out = problems.apply("CallTeacher",
          ParDo.of(new GenerateFn(client, settings, ledger.toString(), spec.systemPrompt(), spec.promptTemplate(),
                  spec.allowFailures(), teacherKey(t, ctx.seed(), baseUrl)))
              .withOutputTags(GenerateFn.GENERATIONS, TupleTagList.of(GenerateFn.FAILED)));
      String data = ctx.dataDir().toString();
      var rowCoder = AvroRowCoder.of(ProblemGenerations.SCHEMA, ProblemGenerations::toAvro, ProblemGenerations::fromAvro);
      out.get(GenerateFn.GENERATIONS).setCoder(rowCoder)
          .apply("WriteGenerations", WriteSplit.of(data, "train", spec.shards(), ProblemGenerations.SCHEMA, ProblemGenerations::toAvro));
      out.get(GenerateFn.FAILED).setCoder(rowCoder)
          .apply("WriteFailures", WriteSplit.of(data, FAILED, 1, ProblemGenerations.SCHEMA, ProblemGenerations::toAvro));
      ctx.run(p);
    } finally {
      if (server != null) server.close();
    }
    failIfAnyProblemFailed(ctx);
    summariseCost(spec, ctx);
  }

  /**
   * A problem with a missing sample must not pass for done: report it, keep the failed rows (every
   * sample's reason) in the state folder for {@code scripts/aha inspect}, and keep the ledger.
   */
  private static void failIfAnyProblemFailed(StageContext ctx) throws IOException {
    List<Path> failedFiles = ParquetFiles.split(ctx.dataDir(), FAILED);
    List<ProblemGenerations> failed = ParquetFiles.read(failedFiles, ProblemGenerations::fromAvro, 1);
    if (!failed.isEmpty()) {
      long n = failedFiles.stream().mapToLong(ParquetFiles::rowCount).sum();
      Path keep = ctx.stateDir().resolve(FAILED);
      Files.createDirectories(keep);
      for (Path f : failedFiles) Files.move(f, keep.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      ProblemGenerations first = failed.get(0);
      throw new WorkFailedException(n + " problem(s) got no completion for some samples (first: " + first.problem().id()
          + ": " + first.firstFailure() + "; all reasons in " + keep + "); finished requests are kept in "
          + ctx.stateDir() + " and are not sent again when you rerun (or set allow_failures: true to keep the rows"
          + " with their failure reasons)");
    }
    for (Path f : failedFiles) Files.delete(f);
  }

  /**
   * Who answers, for the request keys: the server's base URL, or for the local teacher (a new free
   * port every run) its settings, so a rerun finds the requests an interrupted run finished.
   */
  static String teacherKey(TeacherSpec t, long seed, String baseUrl) {
    if (!t.local()) return baseUrl;
    return "aha-local-teacher?slip_rate=" + t.slipRate() + "&catch_rate=" + t.catchRate() + "&verbosity=" + t.verbosity()
        + "&seed=" + seed;
  }

  private static void deleteFailedRowsOfEarlierAttempts(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return;
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) Files.delete(f);
    }
  }

  private static void summariseCost(GenerateSpec spec, StageContext ctx) {
    TeacherSpec.Price price = spec.teacher().pricePerMillion();
    if (price == null) return;
    double usd = ctx.counter("generate.prompt_tokens") / 1e6 * (price.prompt() == null ? 0 : price.prompt())
        + ctx.counter("generate.completion_tokens") / 1e6 * (price.completion() == null ? 0 : price.completion());
    ctx.summary("cost_usd", Math.round(usd * 1e4) / 1e4);
  }

  /** Problems in id order, so {@code limit} picks the same ones on any runner. */
  static final class ById implements java.util.Comparator<Problem>, java.io.Serializable {
    @Override
    public int compare(Problem a, Problem b) {
      return b.id().compareTo(a.id()); // Top keeps the largest: invert to keep the smallest ids
    }
  }
}
