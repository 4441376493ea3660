package aha.filter;

import aha.BadInputException;
import aha.dataset.AvroRowCoder;
import aha.dataset.Completion;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.dataset.ProblemGenerations;
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
 * The generate stage's rows (one per problem, all its generations: {@link ProblemGenerations}) in;
 * {@code train} (SFT examples, one per kept generation), {@code rejected} (one per dropped
 * generation, with its reason) and optionally {@code prompts} out:
 *
 * <pre>
 * ReadGenerations -> BucketByProblem -> ProblemOfRow
 *   -> Decontaminate (n-gram index built in the driver)                   -> problem flags
 *   -> BlockKeys (exact key, MinHash bands) -> FindDuplicates             -> problem flags
 * JoinFlags (rows and flags by problem bucket) -> Decide (explode, ProblemGroup) -> Write*
 * </pre>
 *
 * Without problem-level steps (no decontamination, no problem de-duplication) there is no join:
 * each row is decided where it is read. Work is grouped into buckets of problems rather than one
 * group per problem (the DirectRunner runs one bundle per key, which is very slow for many small
 * groups): at least {@link #MIN_BUCKETS}, more on large inputs so that one bucket's traces fit in a
 * worker's memory.
 */
public final class FilterStage implements Stage<FilterSpec> {
  static final int MIN_BUCKETS = 64;
  /** Generations per bucket on large inputs: a bucket's rows are held in memory by one worker. */
  static final int ROWS_PER_BUCKET = 4096;
  static final String NS = StageContext.COUNTERS;

  private static final TupleTag<ProblemGenerations> ROWS = new TupleTag<>() {};
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
   *     the spec's {@code tokenizer} (the student's, {@link StudentTokens}) or {@code token_counter}
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
    if (files.isEmpty()) throw new BadInputException(inputData + " has no train-*.parquet files of generations");
    checkColumns(files.get(0));
    Contamination index = null;
    if (spec.decontaminate() != null) {
      index = EvalSets.index(spec.decontaminate().against(), spec.decontaminate().ngramSize(), ctx::input);
      index.problemsBySet().forEach((set, n) -> ctx.count("filter.eval_problems." + set, n));
    }
    TokenCounter tokens = tokenizer != null ? tokenizer : spec.counter();
    boolean checkCompletions = index != null && spec.decontaminate().completions();
    ProblemGroup group = spec.problemGroup(spec.traceChecks(tokens, checkCompletions ? index : null));

    int buckets = buckets(estimatedGenerations(files));
    Pipeline p = ctx.newPipeline();
    AvroRowCoder<ProblemGenerations> inputCoder =
        AvroRowCoder.of(ProblemGenerations.SCHEMA, ProblemGenerations::toAvro, ProblemGenerations::fromAvro);
    PCollection<KV<Integer, ProblemGenerations>> rows = p
        .apply("ReadGenerations", ParquetIO.parseGenericRecords(ProblemGenerations::fromAvro)
            .from(inputData.resolve("train-*.parquet").toString())
            .withCoder(inputCoder))
        .apply("BucketByProblem", WithKeys.of((SerializableFunction<ProblemGenerations, Integer>) r -> bucket(r.problem().id(), buckets))
            .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), inputCoder));
    PCollection<KV<Integer, Flagged>> allFlags = problemFlags(rows, spec, index, buckets);

    Decision decision = new Decision(group, answers);
    TupleTagList others = TupleTagList.of(REJECTED).and(PROMPTS);
    PCollectionTuple out = allFlags == null
        ? rows.apply("Decide", ParDo.of(new DecideRowFn(decision)).withOutputTags(KEPT, others))
        : KeyedPCollectionTuple.of(ROWS, rows).and(FLAGS, allFlags)
            .apply("JoinFlags", CoGroupByKey.create())
            .apply("Decide", ParDo.of(new DecideJoinedFn(decision)).withOutputTags(KEPT, others));
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

  /** The input must be the generate stage's rows; one sentence naming the file otherwise. */
  private static void checkColumns(Path file) {
    var columns = ParquetFiles.schema(file).getFields().stream().map(f -> f.name()).toList();
    if (columns.containsAll(ProblemGenerations.REQUIRED_COLUMNS)) return;
    if (columns.containsAll(List.of("problem_id", "content", "finish_reason"))) {
      throw new BadInputException(file + " holds one completion per row, the layout of an older generate stage;"
          + " rerun the generate stage with --force (its ledger answers every finished request again for free)");
    }
    throw new BadInputException(file + " holds no generations (columns: " + columns
        + "); 'from' must name a generate stage");
  }

  /** Problems times the first row's samples: the generations the buckets must hold. */
  static long estimatedGenerations(List<Path> files) {
    long problems = files.stream().mapToLong(ParquetFiles::rowCount).sum();
    List<ProblemGenerations> first = ParquetFiles.read(files, ProblemGenerations::fromAvro, 1);
    return problems * (first.isEmpty() ? 1 : Math.max(1, first.get(0).samples().size()));
  }

  /**
   * Problem-level rejections (contaminated, duplicate, near-duplicate), keyed by problem bucket; null
   * when the spec asks for none. Rows arrive one per problem, so the problems need no grouping.
   */
  private static PCollection<KV<Integer, Flagged>> problemFlags(
      PCollection<KV<Integer, ProblemGenerations>> rows, FilterSpec spec, Contamination index, int buckets) {
    boolean decontaminate = index != null && !index.isEmpty();
    if (!decontaminate && !spec.dedupe().problems()) return null;
    KvCoder<Integer, Flagged> flagCoder = KvCoder.of(VarIntCoder.of(), SerializableCoder.of(Flagged.class));
    // only the problems travel to the problem-level steps, not the (long) traces
    PCollection<Problem> problems = rows
        .apply("ProblemOfRow", MapElements.into(TypeDescriptor.of(Problem.class))
            .via((KV<Integer, ProblemGenerations> kv) -> kv.getValue().problem()))
        .setCoder(PROBLEM_CODER);

    List<PCollection<KV<Integer, Flagged>>> flags = new ArrayList<>();
    if (decontaminate) {
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
    return flags.size() == 1
        ? flags.get(0)
        : PCollectionList.of(flags).apply("FlattenFlags", Flatten.pCollections()).setCoder(flagCoder);
  }

  static int bucket(String key, int buckets) {
    return Math.floorMod(key.hashCode(), buckets);
  }

  static int buckets(long inputRows) {
    return (int) Math.min(1 << 16, Math.max(MIN_BUCKETS, inputRows / ROWS_PER_BUCKET));
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

  /** Applies {@link ProblemGroup} to one problem's generations and counts the outcome. */
  static final class Decision implements java.io.Serializable {
    private final ProblemGroup group;
    private final AnswerCheck answers;
    private final TokenCounter tokens;
    private final Counter input = Metrics.counter(NS, "filter.input");
    private final Counter kept = Metrics.counter(NS, "filter.kept");
    private final Counter rejected = Metrics.counter(NS, "filter.rejected");
    private final Counter problems = Metrics.counter(NS, "filter.problems");
    private final Counter problemsKept = Metrics.counter(NS, "filter.problems_kept");
    private final Counter prompts = Metrics.counter(NS, "filter.prompts");

    Decision(ProblemGroup group, AnswerCheck answers) {
      this.group = group;
      this.answers = answers;
      this.tokens = group.checks().tokens();
    }

    /** @param rows the problem's rows (one, unless the input repeats a problem id) */
    void decide(List<ProblemGenerations> rows, ProblemGroup.ProblemFlag flag, DoFn.MultiOutputReceiver out) {
      List<Completion> generations = new ArrayList<>();
      for (ProblemGenerations r : rows) generations.addAll(r.completions());
      ProblemGroup.Outcome o = group.decide(generations, answers, flag);
      problems.inc();
      input.inc(generations.size());
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
        Problem pr = rows.get(0).problem();
        Map<String, String> extra = new TreeMap<>(pr.extra());
        extra.put("pass_rate", String.valueOf(o.passRate()));
        out.get(PROMPTS).output(new Problem(pr.id(), pr.problem(), pr.answer(), pr.source(), pr.task(), pr.countdown(), extra));
      }
    }
  }

  /** Decides each row where it is read: no problem-level flags to join. */
  static final class DecideRowFn extends DoFn<KV<Integer, ProblemGenerations>, SftExample> {
    private final Decision decision;

    DecideRowFn(Decision decision) {
      this.decision = decision;
    }

    @ProcessElement
    public void process(@Element KV<Integer, ProblemGenerations> row, MultiOutputReceiver out) {
      decision.decide(List.of(row.getValue()), null, out);
    }
  }

  /** Decides every problem of a bucket with its problem-level flag. */
  static final class DecideJoinedFn extends DoFn<KV<Integer, CoGbkResult>, SftExample> {
    private final Decision decision;

    DecideJoinedFn(Decision decision) {
      this.decision = decision;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> joined, MultiOutputReceiver out) {
      Map<String, List<ProblemGenerations>> byProblem = new LinkedHashMap<>();
      for (ProblemGenerations r : joined.getValue().getAll(ROWS)) byProblem.computeIfAbsent(r.problem().id(), k -> new ArrayList<>()).add(r);
      Map<String, ProblemGroup.ProblemFlag> flags = new HashMap<>();
      for (Flagged f : joined.getValue().getAll(FLAGS)) {
        // contamination before exact before near duplicates; then the smallest detail, so the
        // choice does not depend on the order flags arrive in
        flags.merge(f.id(), f.flag(), (a, b) -> {
          int c = a.reason().compareTo(b.reason());
          return c < 0 || (c == 0 && a.detail().compareTo(b.detail()) <= 0) ? a : b;
        });
      }
      for (Map.Entry<String, List<ProblemGenerations>> e : byProblem.entrySet()) {
        decision.decide(e.getValue(), flags.get(e.getKey()), out);
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
