package aha.filter;

import aha.BadInputException;
import aha.dataset.AvroRowCoder;
import aha.dataset.Completion;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.dataset.SftExample;
import aha.dataset.WriteSplit;
import aha.stage.Stage;
import aha.stage.StageContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Completions in; {@code train} (SFT examples), {@code rejected} (with reasons) and optionally
 * {@code prompts} out:
 *
 * <pre>
 * ReadCompletions -> BucketByProblem -> Problems (one per id)
 *   Problems -> Decontaminate (n-gram index built in the driver)            -> problem flags
 *   Problems -> BlockKeys (exact key, MinHash bands) -> FindDuplicates      -> problem flags
 * JoinFlags (completions and flags by problem bucket) -> Decide (ProblemGroup) -> Write*
 * </pre>
 *
 * Work is grouped into buckets of problems rather than one group per problem (the DirectRunner
 * runs one bundle per key, which is very slow for many small groups): at least {@link
 * #MIN_BUCKETS}, more on large inputs so that one bucket's traces fit in a worker's memory.
 */
public final class FilterStage implements Stage<FilterSpec> {
  static final int MIN_BUCKETS = 64;
  /** Generations per bucket on large inputs: a bucket's rows are held in memory by one worker. */
  static final int ROWS_PER_BUCKET = 4096;
  static final String NS = StageContext.COUNTERS;

  private static final TupleTag<Completion> ROWS = new TupleTag<>() {};
  private static final TupleTag<Flagged> FLAGS = new TupleTag<>() {};
  static final TupleTag<SftExample> KEPT = new TupleTag<>() {};
  static final TupleTag<RejectedRow> REJECTED = new TupleTag<>() {};
  static final TupleTag<Problem> PROMPTS = new TupleTag<>() {};

  private static final AvroRowCoder<Problem> PROBLEM_CODER = AvroRowCoder.of(Problem.SCHEMA, Problem::toAvro, Problem::fromAvro);

  private final Verifiers verifiers;
  private final TokenCounter tokenizer;

  /** The stage as recipes run it: built-in verifiers, the spec's token counter. */
  public FilterStage() {
    this(Verifiers.BUILT_IN, null);
  }

  /**
   * @param tokenizer counts tokens for the length bounds (e.g. the student's tokenizer), or null for
   *     the spec's {@code token_counter}
   */
  public FilterStage(Verifiers verifiers, TokenCounter tokenizer) {
    this.verifiers = verifiers;
    this.tokenizer = tokenizer;
  }

  /** A problem-level flag for the problem {@code id}. */
  record Flagged(String id, ProblemGroup.ProblemFlag flag) implements java.io.Serializable {}

  @Override
  public void run(FilterSpec spec, StageContext ctx) {
    AnswerCheck answers = verifiers.forName(spec.verifier());
    Path inputData = ctx.input(spec.from()).resolve("data");
    List<Path> files = ParquetFiles.split(inputData, "train");
    if (files.isEmpty()) throw new BadInputException(inputData + " has no train-*.parquet files of completions");
    var columns = ParquetFiles.schema(files.get(0)).getFields().stream().map(f -> f.name()).toList();
    if (!columns.containsAll(List.of("problem_id", "messages", "content", "finish_reason"))) {
      throw new BadInputException(files.get(0) + " holds no completions (columns: " + columns
          + "); 'from' must name a generate stage");
    }
    Contamination index = null;
    if (spec.decontaminate() != null) {
      index = EvalSets.index(spec.decontaminate().against(), spec.decontaminate().ngramSize(), ctx::input);
      index.problemsBySet().forEach((set, n) -> ctx.count("filter.eval_problems." + set, n));
    }
    TokenCounter tokens = tokenizer != null ? tokenizer : TokenCounter.named(spec.tokenCounter());
    boolean checkCompletions = index != null && spec.decontaminate().completions();
    ProblemGroup group = spec.problemGroup(spec.traceChecks(tokens, checkCompletions ? index : null));

    long inputRows = files.stream().mapToLong(ParquetFiles::rowCount).sum();
    int buckets = buckets(inputRows);
    Pipeline p = ctx.newPipeline();
    AvroRowCoder<Completion> completionCoder = AvroRowCoder.of(Completion.SCHEMA, Completion::toAvro, Completion::fromAvro);
    KvCoder<Integer, Completion> rowCoder = KvCoder.of(VarIntCoder.of(), completionCoder);
    PCollection<KV<Integer, Completion>> rows = p
        .apply("ReadCompletions", ParquetIO.parseGenericRecords(Completion::fromAvro)
            .from(inputData.resolve("train-*.parquet").toString())
            .withCoder(completionCoder))
        .apply("BucketByProblem", WithKeys.of((SerializableFunction<Completion, Integer>) c -> bucket(c.problem().id(), buckets))
            .withKeyType(TypeDescriptors.integers()))
        .setCoder(rowCoder);
    PCollection<KV<Integer, Flagged>> allFlags = problemFlags(p, rows, spec, index, buckets);

    PCollectionTuple out = KeyedPCollectionTuple.of(ROWS, rows).and(FLAGS, allFlags)
        .apply("JoinFlags", CoGroupByKey.create())
        .apply("Decide", ParDo.of(new DecideFn(group, answers))
            .withOutputTags(KEPT, TupleTagList.of(REJECTED).and(PROMPTS)));
    String data = ctx.dataDir().toString();
    out.get(KEPT).setCoder(AvroRowCoder.of(SftExample.SCHEMA, SftExample::toAvro, SftExample::fromAvro))
        .apply("WriteTrain", WriteSplit.of(data, FilterSpec.TRAIN, spec.shards(), SftExample.SCHEMA, SftExample::toAvro));
    out.get(REJECTED).setCoder(AvroRowCoder.of(RejectedRow.SCHEMA, RejectedRow::toAvro, RejectedRow::fromAvro))
        .apply("WriteRejected", WriteSplit.of(data, FilterSpec.REJECTED, 1, RejectedRow.SCHEMA, RejectedRow::toAvro));
    PCollection<Problem> prompts = out.get(PROMPTS).setCoder(PROBLEM_CODER);
    if (spec.passRate() != null) {
      prompts.apply("WritePrompts", WriteSplit.of(data, FilterSpec.PROMPTS, 1, Problem.SCHEMA, Problem::toAvro));
    }
    ctx.run(p);
    Path summary = ctx.dir().resolve("summary.md");
    try {
      java.nio.file.Files.writeString(summary, FilterSummary.markdown(spec, ctx.countersSoFar()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + summary, e);
    }
  }

  /** Problem-level rejections (contaminated, duplicate, near-duplicate), keyed by problem bucket. */
  private static PCollection<KV<Integer, Flagged>> problemFlags(
      Pipeline p, PCollection<KV<Integer, Completion>> rows, FilterSpec spec, Contamination index, int buckets) {
    KvCoder<Integer, Flagged> flagCoder = KvCoder.of(VarIntCoder.of(), SerializableCoder.of(Flagged.class));
    // only the problems travel to the problem-level steps, not the (long) traces
    PCollection<Problem> problems = rows
        .apply("ProblemOfRow", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(Problem.class)))
            .via((KV<Integer, Completion> kv) -> KV.of(kv.getKey(), kv.getValue().problem())))
        .setCoder(KvCoder.of(VarIntCoder.of(), PROBLEM_CODER))
        .apply("GroupForProblems", GroupByKey.create())
        .apply("Problems", ParDo.of(new ProblemsFn()))
        .setCoder(PROBLEM_CODER);

    List<PCollection<KV<Integer, Flagged>>> flags = new ArrayList<>();
    if (index != null && !index.isEmpty()) {
      flags.add(problems.apply("Decontaminate", ParDo.of(new DecontaminateFn(index, buckets))).setCoder(flagCoder));
    }
    if (spec.dedupe().problems()) {
      Double near = spec.dedupe().nearThreshold();
      flags.add(problems
          .apply("BlockKeys", ParDo.of(new BlockKeysFn(near != null, buckets)))
          .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(Blocked.class)))
          .apply("GroupBlocks", GroupByKey.create())
          .apply("FindDuplicates", ParDo.of(new FindDuplicatesFn(near, buckets)))
          .setCoder(flagCoder));
    }
    return flags.isEmpty()
        ? p.apply("NoFlags", Create.empty(flagCoder))
        : PCollectionList.of(flags).apply("FlattenFlags", Flatten.pCollections()).setCoder(flagCoder);

  }

  static int bucket(String key, int buckets) {
    return Math.floorMod(key.hashCode(), buckets);
  }

  static int buckets(long inputRows) {
    return (int) Math.min(1 << 16, Math.max(MIN_BUCKETS, inputRows / ROWS_PER_BUCKET));
  }

  /** One problem per id, from its completions. */
  static final class ProblemsFn extends DoFn<KV<Integer, Iterable<Problem>>, Problem> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Problem>> bucket, OutputReceiver<Problem> out) {
      Map<String, Problem> byId = new TreeMap<>();
      for (Problem p : bucket.getValue()) byId.putIfAbsent(p.id(), p);
      byId.values().forEach(out::output);
    }
  }

  static final class DecontaminateFn extends DoFn<Problem, KV<Integer, Flagged>> {
    private final Contamination index;
    private final int buckets;

    DecontaminateFn(Contamination index, int buckets) {
      this.index = index;
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element Problem problem, OutputReceiver<KV<Integer, Flagged>> out) {
      var sets = index.setsHit(problem.problem());
      if (sets.isEmpty()) return;
      // counted per problem and set, so the manifest says how much each eval set overlapped
      for (String set : sets) Metrics.counter(NS, "filter.contaminated." + set).inc();
      var flag = new ProblemGroup.ProblemFlag(Reason.CONTAMINATED, String.join(",", sets));
      out.output(KV.of(bucket(problem.id(), buckets), new Flagged(problem.id(), flag)));
    }
  }

  /** A problem's duplicate candidate under one block key. */
  record Blocked(String block, Duplicates.Item item) implements java.io.Serializable {}

  static final class BlockKeysFn extends DoFn<Problem, KV<Integer, Blocked>> {
    private final boolean near;
    private final int buckets;

    BlockKeysFn(boolean near, int buckets) {
      this.near = near;
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element Problem problem, OutputReceiver<KV<Integer, Blocked>> out) {
      Duplicates.Item item = ProblemKeys.problem(problem);
      for (String key : Duplicates.blockKeys(item, near)) out.output(KV.of(bucket(key, buckets), new Blocked(key, item)));
    }
  }

  static final class FindDuplicatesFn extends DoFn<KV<Integer, Iterable<Blocked>>, KV<Integer, Flagged>> {
    private final Double near;
    private final int buckets;

    FindDuplicatesFn(Double near, int buckets) {
      this.near = near;
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Blocked>> bucket, OutputReceiver<KV<Integer, Flagged>> out) {
      Map<String, List<Duplicates.Item>> blocks = new HashMap<>();
      for (Blocked b : bucket.getValue()) blocks.computeIfAbsent(b.block(), k -> new ArrayList<>()).add(b.item());
      for (List<Duplicates.Item> block : blocks.values()) {
        if (block.size() < 2) continue;
        for (Duplicates.Flag f : Duplicates.flag(block, near, Reason.DUPLICATE_PROBLEM, Reason.NEAR_DUPLICATE_PROBLEM)) {
          var flag = new ProblemGroup.ProblemFlag(f.reason(), "duplicate of " + f.of());
          out.output(KV.of(bucket(f.id(), buckets), new Flagged(f.id(), flag)));
        }
      }
    }
  }

  /** Applies {@link ProblemGroup} to every problem of a bucket and counts the outcome. */
  static final class DecideFn extends DoFn<KV<Integer, CoGbkResult>, SftExample> {
    private final ProblemGroup group;
    private final AnswerCheck answers;
    private final Counter input = Metrics.counter(NS, "filter.input");
    private final Counter kept = Metrics.counter(NS, "filter.kept");
    private final Counter rejected = Metrics.counter(NS, "filter.rejected");
    private final Counter problems = Metrics.counter(NS, "filter.problems");
    private final Counter problemsKept = Metrics.counter(NS, "filter.problems_kept");
    private final Counter prompts = Metrics.counter(NS, "filter.prompts");

    private final TokenCounter tokens;

    DecideFn(ProblemGroup group, AnswerCheck answers) {
      this.group = group;
      this.answers = answers;
      this.tokens = group.checks().tokens();
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> joined, MultiOutputReceiver out) {
      Map<String, List<Completion>> byProblem = new LinkedHashMap<>();
      for (Completion c : joined.getValue().getAll(ROWS)) byProblem.computeIfAbsent(c.problem().id(), k -> new ArrayList<>()).add(c);
      Map<String, ProblemGroup.ProblemFlag> flags = new HashMap<>();
      for (Flagged f : joined.getValue().getAll(FLAGS)) {
        // contamination before exact before near duplicates; then the smallest detail, so the
        // choice does not depend on the order flags arrive in
        flags.merge(f.id(), f.flag(), (a, b) -> {
          int c = a.reason().compareTo(b.reason());
          return c < 0 || (c == 0 && a.detail().compareTo(b.detail()) <= 0) ? a : b;
        });
      }
      for (Map.Entry<String, List<Completion>> e : byProblem.entrySet()) {
        ProblemGroup.Outcome o = group.decide(e.getValue(), answers, flags.get(e.getKey()));
        problems.inc();
        input.inc(e.getValue().size());
        kept.inc(o.kept().size());
        rejected.inc(o.rejected().size());
        if (!o.kept().isEmpty()) problemsKept.inc();
        for (Completion c : o.kept()) {
          Metrics.counter(NS, FilterSummary.tokenBin(tokens.count(c.assistantText()))).inc();
          out.get(KEPT).output(SftExample.of(c));
        }
        for (ProblemGroup.Rejection r : o.rejected()) {
          Metrics.counter(NS, r.reason().counter()).inc();
          out.get(REJECTED).output(new RejectedRow(r.completion(), r.reason(), r.detail()));
        }
        Metrics.counter(NS, passRateBin(o.passRate())).inc();
        if (o.prompt()) {
          prompts.inc();
          Problem pr = e.getValue().get(0).problem();
          Map<String, String> extra = new TreeMap<>(pr.extra());
          extra.put("pass_rate", String.valueOf(o.passRate()));
          out.get(PROMPTS).output(new Problem(pr.id(), pr.problem(), pr.answer(), pr.source(), pr.task(), pr.countdown(), extra));
        }
      }
    }
  }

  /** The histogram counter of a pass rate: tenths ({@code filter.pass_rate.0.3} holds [0.3, 0.4)), 1.0, or undecided. */
  static String passRateBin(double rate) {
    if (Double.isNaN(rate)) return "filter.pass_rate.undecided";
    if (rate >= 1.0) return "filter.pass_rate.1.0";
    return String.format(java.util.Locale.ROOT, "filter.pass_rate.%.1f", Math.floor(rate * 10) / 10);
  }
}
