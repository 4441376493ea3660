package aha.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import aha.testing.InProcess;
import aha.testing.InProcess.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt, truncated, empty and mistyped inputs: one sentence naming the file, exit code 2, no stage folder. */
class BadInputsTest {
  static Outcome cli(String... args) {
    return InProcess.cli(args);
  }

  static Outcome prepareFrom(Path tmp, Path data, String extra) throws Exception {
    Path r = tmp.resolve("r.yaml");
    Files.writeString(r, "name: bad\nseed: 1\nstages:\n  - type: prepare\n    source: {path: " + data + extra + "}\n");
    return cli("run", r.toString(), "--output-dir", tmp.resolve("out").toString());
  }

  @Test
  void aTruncatedParquetFileIsBadInput(@TempDir Path tmp) throws Exception {
    Path good = tmp.resolve("good.parquet");
    aha.dataset.ParquetFiles.write(good, aha.dataset.Problem.SCHEMA, java.util.List.of(
        new aha.dataset.Problem("a", "1+1", "2", "s", "math", null, null).toAvro()));
    byte[] bytes = Files.readAllBytes(good);
    Path cut = tmp.resolve("cut.parquet");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    Outcome inspect = cli("inspect", cut.toString());
    assertThat(inspect.code()).isEqualTo(2);
    assertThat(inspect.err()).startsWith("aha: " + cut + " is not a readable Parquet file");
    Outcome prepare = prepareFrom(tmp, cut, "");
    assertThat(prepare.code()).isEqualTo(2);
    assertThat(prepare.err()).contains(cut + " is not a readable Parquet file");
    assertThat(tmp.resolve("out/bad/01-prepare")).doesNotExist();
  }

  @Test
  void garbageWithAParquetNameIsBadInput(@TempDir Path tmp) throws Exception {
    Path junk = tmp.resolve("junk.parquet");
    Files.writeString(junk, "this is not parquet at all");
    assertThat(cli("inspect", junk.toString()).code()).isEqualTo(2);
  }

  @Test
  void aParquetFileWithoutTheNeededColumnNamesIt(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("cols.parquet");
    var schema = org.apache.avro.SchemaBuilder.record("R").fields().requiredString("question").endRecord();
    var rec = new org.apache.avro.generic.GenericData.Record(schema);
    rec.put("question", "2+2?");
    aha.dataset.ParquetFiles.write(f, schema, java.util.List.of(rec));
    Outcome o = prepareFrom(tmp, f, "");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains(f + " has no column 'problem' (columns: [question]); map it with source.columns");
  }

  @Test
  void aJsonlFileWithABrokenLineNamesTheLine(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("p.jsonl");
    Files.writeString(f, "{\"problem\": \"1+1\", \"answer\": \"2\"}\n{\"problem\": \"2+2\", \"answer\": \n");
    Outcome o = prepareFrom(tmp, f, "");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).startsWith("aha: " + f + ":2: not a JSON object");
  }

  @Test
  void aJsonlLineThatIsNotAnObjectOrHasTheWrongShape(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("p.jsonl");
    Files.writeString(f, "[1, 2]\n");
    assertThat(prepareFrom(tmp, f, "").err()).contains(f + ":1: expected a JSON object, got ARRAY");
    Path g = tmp.resolve("q.jsonl");
    Files.writeString(g, "{\"problem\": \"x\", \"nums\": [1, 2], \"answer\": \"3\"}\n");
    assertThat(prepareFrom(tmp, g, ", task: countdown").err()).contains(g + ":1: missing column 'target'");
  }

  @Test
  void anEmptyDatasetIsBadInput(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("empty.jsonl");
    Files.writeString(f, "\n\n");
    Outcome o = prepareFrom(tmp, f, "");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).isEqualTo("aha: " + f + " has no rows");
  }

  @Test
  void aStageFolderWithACorruptManifestIsBadInput(@TempDir Path tmp) throws Exception {
    Path r = tmp.resolve("r.yaml");
    Files.writeString(r, "name: m\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: linear, count: 5}\n");
    Path stage = tmp.resolve("out/m/01-prepare");
    Files.createDirectories(stage);
    Files.writeString(stage.resolve("_MANIFEST.json"), "{\"config_hash\": ");
    Outcome o = cli("run", r.toString(), "--output-dir", tmp.resolve("out").toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains(stage.resolve("_MANIFEST.json") + " is not valid JSON");
  }
}
