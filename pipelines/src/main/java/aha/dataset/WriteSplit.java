package aha.dataset;

import aha.FileTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes one split of a Hugging Face style dataset: {@code <dataDir>/<split>-0000i-of-0000N.parquet}
 * (Snappy), counting rows in the counter {@code rows.<split>} so the manifest can report them.
 *
 * <p>Each bundle writes its rows to a part file under {@code <dataDir>/.parts-<split>/}; only the
 * part files' names are grouped (on one key), and one worker then copies the parts into the N
 * shards, row by row in turn, and deletes them. Not Beam's {@code FileIO.write().withNumShards(N)}:
 * that groups the rows themselves on N keys, and the DirectRunner decodes and copies a key's whole
 * group each time another bundle adds to it, so its time grew with the square of the rows (1M filter
 * generations wrote every row in 3 minutes, then did not finish that group in 9 more).
 */
public final class WriteSplit<T> extends PTransform<PCollection<T>, PDone> {
  private final String dataDir;
  private final String split;
  private final int shards;
  private final String schemaJson; // Avro Schema is not Serializable before 1.12
  private final SerializableFunction<T, GenericRecord> toAvro;

  private WriteSplit(String dataDir, String split, int shards, Schema schema, SerializableFunction<T, GenericRecord> toAvro) {
    this.dataDir = dataDir;
    this.split = split;
    this.shards = shards;
    this.schemaJson = schema.toString();
    this.toAvro = toAvro;
  }

  public static <T> WriteSplit<T> of(
      String dataDir, String split, int shards, Schema schema, SerializableFunction<T, GenericRecord> toAvro) {
    return new WriteSplit<>(dataDir, split, shards, schema, toAvro);
  }

  public static String counterName(String split) {
    return "rows." + split;
  }

  @Override
  public PDone expand(PCollection<T> rows) {
    String parts = Path.of(dataDir).resolve(".parts-" + split).toString();
    PCollection<String> written = rows
        .apply("WriteParts", ParDo.of(new WritePartsFn<>(toAvro, counterName(split), schemaJson, parts)))
        .setCoder(StringUtf8Coder.of());
    // an empty name, so that the shards are written (empty) when there are no rows
    PCollection<String> always = rows.getPipeline().apply("Always", Create.of("")).setCoder(StringUtf8Coder.of());
    PCollectionList.of(written).and(always)
        .apply("AllParts", Flatten.pCollections())
        .apply("OneKey", WithKeys.<Void, String>of((Void) null).withKeyType(TypeDescriptors.voids()))
        .setCoder(KvCoder.of(VoidCoder.of(), StringUtf8Coder.of()))
        .apply("GroupParts", GroupByKey.create())
        .apply("WriteShards", ParDo.of(new WriteShardsFn(dataDir, split, shards, schemaJson, parts)));
    return PDone.in(rows.getPipeline());
  }

  static ParquetWriter<GenericRecord> writer(Path file, Schema schema) throws IOException {
    return AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
        .withSchema(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .build();
  }

  /** Writes a bundle's rows to one part file and outputs its path. */
  static final class WritePartsFn<T> extends DoFn<T, String> {
    private final SerializableFunction<T, GenericRecord> toAvro;
    private final Counter rows;
    private final String schemaJson;
    private final String parts;
    private transient Schema schema;
    private transient Path part;
    private transient ParquetWriter<GenericRecord> writer;

    WritePartsFn(SerializableFunction<T, GenericRecord> toAvro, String counter, String schemaJson, String parts) {
      this.toAvro = toAvro;
      this.rows = Metrics.counter("aha", counter);
      this.schemaJson = schemaJson;
      this.parts = parts;
    }

    @Setup
    public void setup() {
      schema = new Schema.Parser().parse(schemaJson);
    }

    @ProcessElement
    public void process(@Element T row) throws IOException {
      if (writer == null) {
        Files.createDirectories(Path.of(parts));
        // a random name: a retried bundle writes a new part, and only the parts of bundles that
        // succeeded reach WriteShards
        part = Path.of(parts, UUID.randomUUID() + ".parquet");
        writer = writer(part, schema);
      }
      rows.inc();
      try {
        writer.write(toAvro.apply(row));
      } catch (IOException | RuntimeException e) {
        abandon();
        throw e;
      }
    }

    /** A failed bundle's part is closed and removed, so no open file outlives it (a full disk). */
    @Teardown
    public void abandon() {
      if (writer == null) return;
      try {
        writer.close();
      } catch (IOException | RuntimeException ignored) {
        // the part is deleted below; its contents never reach a shard
      }
      writer = null;
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // the stage's temporary folder, which holds the part, is deleted when the stage fails
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) throws IOException {
      if (writer == null) return;
      try {
        writer.close();
      } catch (IOException | RuntimeException e) {
        abandon();
        throw e;
      }
      writer = null;
      c.output(part.toString(), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
    }
  }

  /** Copies every part into the shards (row i of the parts to shard i mod N), then deletes the parts. */
  static final class WriteShardsFn extends DoFn<KV<Void, Iterable<String>>, Void> {
    private final String dataDir;
    private final String split;
    private final int shards;
    private final String schemaJson;
    private final String parts;

    WriteShardsFn(String dataDir, String split, int shards, String schemaJson, String parts) {
      this.dataDir = dataDir;
      this.split = split;
      this.shards = shards;
      this.schemaJson = schemaJson;
      this.parts = parts;
    }

    @ProcessElement
    public void process(@Element KV<Void, Iterable<String>> group) throws IOException {
      Schema schema = new Schema.Parser().parse(schemaJson);
      List<String> names = new ArrayList<>();
      for (String n : group.getValue()) if (!n.isEmpty()) names.add(n);
      names.sort(Comparator.naturalOrder());
      Path dir = Path.of(dataDir);
      Files.createDirectories(dir);
      List<Path> files = new ArrayList<>();
      List<Path> tmps = new ArrayList<>();
      List<ParquetWriter<GenericRecord>> writers = new ArrayList<>();
      try {
        for (int i = 0; i < shards; i++) {
          String name = String.format("%s-%05d-of-%05d.parquet", split, i, shards);
          files.add(dir.resolve(name));
          Path tmp = dir.resolve("." + name + ".tmp");
          Files.deleteIfExists(tmp);
          tmps.add(tmp);
          writers.add(writer(tmp, schema));
        }
        long row = 0;
        for (String n : names) {
          try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(Path.of(n))).build()) {
            for (GenericRecord g; (g = r.read()) != null; row++) writers.get((int) (row % shards)).write(g);
          }
        }
      } finally {
        for (ParquetWriter<GenericRecord> w : writers) w.close();
      }
      for (int i = 0; i < shards; i++) {
        Files.move(tmps.get(i), files.get(i), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      FileTree.delete(Path.of(parts));
    }
  }
}
