package aha.dataset;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes one split of a Hugging Face style dataset: {@code <dataDir>/<split>-0000i-of-0000N.parquet}
 * (Snappy), counting rows in the counter {@code rows.<split>} so the manifest can report them.
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
    Schema schema = new Schema.Parser().parse(schemaJson);
    rows.apply("ToAvro", ParDo.of(new ToAvroFn<>(toAvro, counterName(split))))
        .setCoder(AvroCoder.of(GenericRecord.class, schema))
        .apply(
            "WriteParquet",
            FileIO.<GenericRecord>write()
                .via(ParquetIO.sink(schema).withCompressionCodec(org.apache.parquet.hadoop.metadata.CompressionCodecName.SNAPPY))
                .to(dataDir)
                .withNaming(FileIO.Write.defaultNaming(split, ".parquet"))
                .withNumShards(shards));
    return PDone.in(rows.getPipeline());
  }

  static final class ToAvroFn<T> extends DoFn<T, GenericRecord> {
    private final SerializableFunction<T, GenericRecord> toAvro;
    private final Counter rows;

    ToAvroFn(SerializableFunction<T, GenericRecord> toAvro, String counter) {
      this.toAvro = toAvro;
      this.rows = Metrics.counter("aha", counter);
    }

    @ProcessElement
    public void process(@Element T row, OutputReceiver<GenericRecord> out) {
      rows.inc();
      out.output(toAvro.apply(row));
    }
  }
}
