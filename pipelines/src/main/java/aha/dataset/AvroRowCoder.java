package aha.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * A Beam coder for a row record through its Avro form (the same schema as its Parquet files).
 * Java serialization, Beam's {@code SerializableCoder}, writes class descriptors with every
 * element and was the larger part of the filter's CPU time on long traces; Avro's binary encoding
 * writes only the values, and is self-delimiting, so it also works nested inside KVs and groups.
 */
public final class AvroRowCoder<T> extends CustomCoder<T> {
  private final String schemaJson; // Avro Schema is not Serializable before 1.12
  private final SerializableFunction<T, GenericRecord> toAvro;
  private final SerializableFunction<GenericRecord, T> fromAvro;
  private transient GenericDatumWriter<GenericRecord> writer;
  private transient GenericDatumReader<GenericRecord> reader;

  private AvroRowCoder(Schema schema, SerializableFunction<T, GenericRecord> toAvro, SerializableFunction<GenericRecord, T> fromAvro) {
    this.schemaJson = schema.toString();
    this.toAvro = toAvro;
    this.fromAvro = fromAvro;
  }

  public static <T> AvroRowCoder<T> of(
      Schema schema, SerializableFunction<T, GenericRecord> toAvro, SerializableFunction<GenericRecord, T> fromAvro) {
    return new AvroRowCoder<>(schema, toAvro, fromAvro);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    if (writer == null) writer = new GenericDatumWriter<>(new Schema.Parser().parse(schemaJson));
    BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
    writer.write(toAvro.apply(value), e);
    e.flush();
  }

  @Override
  public T decode(InputStream in) throws IOException {
    if (reader == null) reader = new GenericDatumReader<>(new Schema.Parser().parse(schemaJson));
    BinaryDecoder d = DecoderFactory.get().directBinaryDecoder(in, null);
    return fromAvro.apply(reader.read(null, d));
  }

  @Override
  public void verifyDeterministic() {
    // the Avro binary form of a record is a function of its values (maps aside, which are not keys here)
  }
}
