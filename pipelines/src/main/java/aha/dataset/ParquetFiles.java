package aha.dataset;

import aha.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Plain Parquet reading and writing of local files, outside Beam: for the CLI's {@code inspect},
 * the training stages' small tables, and tests.
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  /** The {@code .parquet} files of one split in a stage's {@code data/} folder, in shard order. */
  public static List<Path> split(Path dataDir, String split) {
    try (Stream<Path> s = Files.list(dataDir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(split + "-"))
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new BadInputException("cannot list " + dataDir + ": " + e.getMessage());
    }
  }

  public static Schema schema(Path file) {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      String avro = r.getFooter().getFileMetaData().getKeyValueMetaData().get("parquet.avro.schema");
      if (avro != null) return new Schema.Parser().parse(avro);
      return new org.apache.parquet.avro.AvroSchemaConverter().convert(r.getFooter().getFileMetaData().getSchema());
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file + " is not a readable Parquet file (" + e.getMessage() + ")");
    }
  }

  public static long rowCount(Path file) {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      return r.getRecordCount();
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file + " is not a readable Parquet file (" + e.getMessage() + ")");
    }
  }

  /** Reads up to {@code limit} records of each file, in order. */
  public static <T> List<T> read(List<Path> files, Function<GenericRecord, T> convert, long limit) {
    List<T> out = new ArrayList<>();
    for (Path f : files) {
      try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(f)).build()) {
        for (GenericRecord g; out.size() < limit && (g = r.read()) != null; ) out.add(convert.apply(g));
      } catch (IOException | RuntimeException e) {
        throw new BadInputException(f + " is not a readable Parquet file (" + e.getMessage() + ")");
      }
    }
    return out;
  }

  public static <T> List<T> readAll(List<Path> files, Function<GenericRecord, T> convert) {
    return read(files, convert, Long.MAX_VALUE);
  }

  /** Writes records to {@code file} through a temporary name, so a crash leaves no partial file. */
  public static void write(Path file, Schema schema, Iterable<GenericRecord> records) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(tmp))
            .withSchema(schema)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build()) {
      for (GenericRecord r : records) w.write(r);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
