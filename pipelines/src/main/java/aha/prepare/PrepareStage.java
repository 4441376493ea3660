package aha.prepare;

import aha.dataset.Problem;
import aha.dataset.WriteSplit;
import aha.stage.Stage;
import aha.stage.StageContext;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import aha.hub.HubClient;
import aha.hub.HubSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Problems in, {@code train} and {@code eval} splits out:
 *
 * <pre>
 * ReadProblems -> DropDuplicates (by normalised text) -> ChooseHoldout (seeded hash, exact count)
 *              -> SplitHoldout -> WriteTrain / WriteEval
 * </pre>
 */
public final class PrepareStage implements Stage<PrepareSpec> {
  static final TupleTag<Problem> TRAIN = new TupleTag<>() {};
  static final TupleTag<Problem> EVAL = new TupleTag<>() {};
  private static final TupleTag<Problem> ROWS = new TupleTag<>() {};
  private static final TupleTag<String> HELD_OUT = new TupleTag<>() {};

  /**
   * Rows are grouped into this many buckets for de-duplication and the hold-out join. Per-key
   * grouping would make one bundle per problem, which the DirectRunner processes very slowly;
   * buckets keep the work parallel on Spark and cheap on one machine.
   */
  static final int BUCKETS = 64;

  @Override
  public void run(PrepareSpec spec, StageContext ctx) {
    Pipeline p = ctx.newPipeline();
    long seed = ctx.seed();
    PCollection<Problem> problems = read(p, spec.source(), seed, ctx);
    if (spec.dedupe()) {
      problems = problems
          .apply("BucketByText", WithKeys.of((SerializableFunction<Problem, Integer>) pr -> bucket(Normalise.key(pr)))
              .withKeyType(TypeDescriptors.integers()))
          .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(Problem.class)))
          .apply("GroupBuckets", GroupByKey.create())
          .apply("DropDuplicates", ParDo.of(new DropDuplicatesFn()))
          .setCoder(SerializableCoder.of(Problem.class));
    }
    // The hold-out is the evalHoldout problems with the smallest seeded hash: an exact count that
    // depends neither on the runner nor on row order. It is joined back by id bucket.
    PCollection<KV<Integer, Problem>> byBucket = problems
        .apply("BucketById", WithKeys.of((SerializableFunction<Problem, Integer>) pr -> bucket(pr.id()))
            .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(Problem.class)));
    PCollection<KV<Integer, String>> heldOut = spec.evalHoldout() == 0
        ? p.apply("NoHoldout", Create.empty(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of())))
        : problems
            .apply("HoldoutKeys", MapElements.into(TypeDescriptors.strings()).via(pr -> holdoutKey(seed, pr.id())))
            .apply("ChooseHoldout", Top.<String>smallest(spec.evalHoldout()))
            .apply("HoldoutIds", FlatMapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.strings()))
                .via((List<String> keys) -> keys.stream().map(k -> k.substring(k.indexOf(':') + 1)).map(id -> KV.of(bucket(id), id)).toList()));
    PCollectionTuple split = KeyedPCollectionTuple.of(ROWS, byBucket).and(HELD_OUT, heldOut)
        .apply("JoinHoldout", CoGroupByKey.create())
        .apply("SplitHoldout", ParDo.of(new SplitFn()).withOutputTags(TRAIN, TupleTagList.of(EVAL)));
    String data = ctx.dataDir().toString();
    split.get(TRAIN).setCoder(SerializableCoder.of(Problem.class))
        .apply("WriteTrain", WriteSplit.of(data, PrepareSpec.TRAIN, spec.shards(), Problem.SCHEMA, Problem::toAvro));
    split.get(EVAL).setCoder(SerializableCoder.of(Problem.class))
        .apply("WriteEval", WriteSplit.of(data, PrepareSpec.EVAL, 1, Problem.SCHEMA, Problem::toAvro));
    ctx.run(p);
  }

  static int bucket(String key) {
    return Math.floorMod(key.hashCode(), BUCKETS);
  }

  /** A stable pseudo-random order for choosing the hold-out: seeded hash, then id for ties. */
  static String holdoutKey(long seed, String id) {
    return String.format("%016x:%s", Seeds.mix(seed, id.hashCode()), id);
  }

  private static PCollection<Problem> read(Pipeline p, ProblemSource source, long seed, StageContext ctx) {
    PCollection<Problem> out;
    if (source instanceof DatasetSource ds && ds.hub() != null) {
      List<String> files = hubFiles(ds, ctx);
      DatasetRows rows = new DatasetRows(ds);
      out = p.apply("HubFiles", Create.of(files).withCoder(StringUtf8Coder.of()))
          .apply("MatchFiles", FileIO.matchAll())
          .apply("OpenFiles", FileIO.readMatches())
          .apply("ReadProblems", ParquetIO.parseFilesGenericRecords(rows::fromAvro)
              .withCoder(SerializableCoder.of(Problem.class)));
    } else if (source instanceof DatasetSource ds) {
      DatasetRows rows = new DatasetRows(ds);
      rows.check();
      if (rows.isParquet()) {
        out = p.apply("ReadProblems", ParquetIO.parseGenericRecords(rows::fromAvro).from(ds.path())
            .withCoder(SerializableCoder.of(Problem.class)));
      } else {
        out = p.apply("ReadLines", TextIO.read().from(ds.path()))
            .apply("SkipBlank", Filter.by((String s) -> !s.isBlank()))
            .apply("ParseProblems", MapElements.into(TypeDescriptor.of(Problem.class)).via(rows::fromJsonLine));
      }
    } else {
      Generator g = Generator.of(source);
      out = p.apply("Indices", GenerateSequence.from(0).to(g.count()))
          .apply("GenerateProblems", ParDo.of(new GenerateFn(g, seed)));
    }
    return out.setCoder(SerializableCoder.of(Problem.class));
  }

  /** Downloads (or finds in the Hub cache) the split's Parquet files and checks their columns. */
  private static List<String> hubFiles(DatasetSource ds, StageContext ctx) {
    List<Path> files;
    try {
      files = new HubClient(HubSettings.fromEnv()).datasetFiles(ds.hub(), ds.revision(), ds.config(), ds.split());
    } catch (IOException e) {
      throw new aha.WorkFailedException("cannot download Hub dataset " + ds.hub() + ": " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw new aha.BadInputException("Hub dataset " + ds.hub() + " has no Parquet files for config "
          + (ds.config() == null ? "(default)" : ds.config()) + ", split " + ds.split());
    }
    DatasetRows rows = new DatasetRows(ds);
    for (Path f : files) rows.check(f);
    // the snapshot folder's name is the commit: record it, so the run says exactly what it read
    ctx.summary("hub_commit", files.get(0).getParent().getFileName().toString().length() == 40
        ? files.get(0).getParent().getFileName().toString() : commitOf(files.get(0)));
    ctx.summary("hub_files", files.size());
    return files.stream().map(Path::toString).toList();
  }

  private static String commitOf(Path file) {
    for (Path p = file.getParent(); p != null; p = p.getParent()) {
      if (p.getParent() != null && p.getParent().getFileName().toString().equals("snapshots")) return p.getFileName().toString();
    }
    return "unknown";
  }

  /** One built-in generator, as a serializable function of (seed, index). */
  interface Generator extends java.io.Serializable {
    long count();

    Problem generate(long seed, long index);

    static Generator of(ProblemSource s) {
      if (s instanceof CountdownSource c) return of(c.count(), new CountdownGenerator(c)::generate);
      if (s instanceof ArithmeticSource a) return of(a.count(), new ArithmeticGenerator(a)::generate);
      if (s instanceof LinearSource l) return of(l.count(), new LinearGenerator(l)::generate);
      throw new IllegalArgumentException("not a generator: " + s);
    }

    private static Generator of(long count, SerializableGenerate f) {
      return new Generator() {
        @Override
        public long count() {
          return count;
        }

        @Override
        public Problem generate(long seed, long index) {
          return f.generate(seed, index);
        }
      };
    }
  }

  interface SerializableGenerate extends java.io.Serializable {
    Problem generate(long seed, long index);
  }

  static final class GenerateFn extends DoFn<Long, Problem> {
    private final Generator generator;
    private final long seed;
    private final Counter generated = Metrics.counter("aha", "prepare.generated");

    GenerateFn(Generator generator, long seed) {
      this.generator = generator;
      this.seed = seed;
    }

    @ProcessElement
    public void process(@Element Long index, OutputReceiver<Problem> out) {
      generated.inc();
      out.output(generator.generate(seed, index));
    }
  }

  /** Keeps, of each set of duplicates, the problem with the smallest id (runner-independent). */
  static final class DropDuplicatesFn extends DoFn<KV<Integer, Iterable<Problem>>, Problem> {
    private final Counter dropped = Metrics.counter("aha", "prepare.duplicates_dropped");

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Problem>> bucket, OutputReceiver<Problem> out) {
      Map<String, Problem> first = new HashMap<>();
      long seen = 0;
      for (Problem pr : bucket.getValue()) {
        first.merge(Normalise.key(pr), pr, (a, b) -> a.id().compareTo(b.id()) <= 0 ? a : b);
        seen++;
      }
      dropped.inc(seen - first.size());
      first.values().forEach(out::output);
    }
  }

  static final class SplitFn extends DoFn<KV<Integer, CoGbkResult>, Problem> {
    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> joined, MultiOutputReceiver out) {
      Set<String> eval = new HashSet<>();
      joined.getValue().getAll(HELD_OUT).forEach(eval::add);
      for (Problem problem : joined.getValue().getAll(ROWS)) {
        out.get(eval.contains(problem.id()) ? EVAL : TRAIN).output(problem);
      }
    }
  }
}
