package aha.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import aha.testing.Runs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads a stage's Parquet files with DuckDB (npm {@code @duckdb/node-api}, installed by {@code make
 * test-setup}), an implementation that shares no code with ours, including the list and struct
 * columns.
 */
class DuckDbReadTest {
  static final Path TOOLS = Path.of(System.getProperty("aha.repo.dir", "..")).resolve(".tools/duckdb/node_modules");

  @Test
  void duckDbReadsTheHuggingFaceLayoutWithListAndStructColumns(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, """
        name: duck
        seed: 5
        stages:
          - type: prepare
            source: {generator: countdown, count: 60, numbers: 4, max_number: 30, max_target: 200}
            eval_holdout: 7
            shards: 3
        """);
    Runs.run(r, tmp.resolve("out"));
    Path data = tmp.resolve("out/duck/01-prepare/data");
    JsonNode j = duckDb(tmp, data, """
        const out = {
          train: await one(`SELECT count(*) AS n, count(DISTINCT id) AS ids FROM read_parquet('${dir}/train-*.parquet')`),
          eval: await one(`SELECT count(*) AS n FROM read_parquet('${dir}/eval-*.parquet')`),
          bad: await one(`SELECT count(*) AS n FROM read_parquet('${dir}/*.parquet')
                          WHERE len(countdown.nums) <> 4 OR CAST(answer AS INTEGER) <> countdown.target`),
          nums: await one(`SELECT sum(x) AS s FROM (SELECT unnest(countdown.nums) AS x FROM read_parquet('${dir}/*.parquet'))`),
          extra: await one(`SELECT count(*) AS n FROM read_parquet('${dir}/*.parquet') WHERE extra['solution'] IS NOT NULL`),
          types: (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${dir}/train-*.parquet')`)).getRowObjectsJson()
        };
        """);

    var ours = ParquetFiles.readAll(ParquetFiles.split(data, "train"), Problem::fromAvro);
    ours.addAll(ParquetFiles.readAll(ParquetFiles.split(data, "eval"), Problem::fromAvro));
    long train = ParquetFiles.split(data, "train").stream().mapToLong(ParquetFiles::rowCount).sum();
    assertThat(j.at("/train/n").asLong()).isEqualTo(train);
    assertThat(j.at("/train/ids").asLong()).isEqualTo(train);
    assertThat(j.at("/eval/n").asLong()).isEqualTo(7);
    assertThat(j.at("/bad/n").asLong()).isZero();
    assertThat(j.at("/nums/s").asLong())
        .isEqualTo(ours.stream().flatMap(x -> x.countdown().nums().stream()).mapToLong(Integer::longValue).sum());
    assertThat(j.at("/extra/n").asLong()).isEqualTo(ours.size());
    assertThat(j.get("types").toString())
        .contains("\"column_name\":\"countdown\",\"column_type\":\"STRUCT(nums INTEGER[], \\\"target\\\" INTEGER)\"")
        .contains("\"column_name\":\"extra\",\"column_type\":\"MAP(VARCHAR, VARCHAR)\"");
  }

  @Test
  void duckDbReadsTheGenerateStagesListColumnsOneRowPerProblem(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, """
        name: duckgen
        seed: 6
        stages:
          - type: prepare
            source: {generator: countdown, count: 24, numbers: 3, max_number: 12, max_target: 60, style: short}
          - type: generate
            teacher: {kind: local, slip_rate: 0.0}
            num_generations: 3
            sampling: {temperature: 0.6}
        """);
    Runs.run(r, tmp.resolve("out"));
    Path data = tmp.resolve("out/duckgen/02-generate/data");
    JsonNode j = duckDb(tmp, data, """
        const t = `read_parquet('${dir}/train-*.parquet')`;
        const out = {
          rows: await one(`SELECT count(*) AS n, count(DISTINCT problem_id) AS ids, sum(len(generations)) AS g,
                           count(*) FILTER (WHERE len(usage) <> len(generations) OR len(finish_reasons) <> len(generations)) AS ragged
                           FROM ${t}`),
          tokens: await one(`SELECT sum(u.completion_tokens) AS c FROM (SELECT unnest(usage) AS u FROM ${t})`),
          stops: await one(`SELECT count(*) AS n FROM (SELECT unnest(finish_reasons) AS f FROM ${t}) WHERE f = 'stop'`),
          model: await one(`SELECT min(model) AS m FROM ${t}`)
        };
        """);

    var ours = ParquetFiles.readAll(ParquetFiles.split(data, "train"), ProblemGenerations::fromAvro);
    assertThat(j.at("/rows/n").asLong()).isEqualTo(ours.size()).isEqualTo(24);
    assertThat(j.at("/rows/ids").asLong()).isEqualTo(24);
    assertThat(j.at("/rows/g").asLong()).isEqualTo(24 * 3);
    assertThat(j.at("/rows/ragged").asLong()).isZero();
    assertThat(j.at("/tokens/c").asLong()).isPositive()
        .isEqualTo(ours.stream().flatMap(g -> g.samples().stream()).mapToLong(ProblemGenerations.Sample::completionTokens).sum());
    assertThat(j.at("/stops/n").asLong()).isEqualTo(24 * 3);
    assertThat(j.at("/model/m").asText()).isEqualTo(aha.teacher.LocalTeacher.MODEL);
  }

  /**
   * Runs DuckDB (Node, from .tools/duckdb) on the Parquet folder {@code data}: the script body sees
   * {@code dir}, {@code con} and {@code one(sql)} (first row as JSON) and must set {@code out}, which
   * comes back parsed.
   */
  static JsonNode duckDb(Path tmp, Path data, String body) throws Exception {
    assertThat(Files.isDirectory(TOOLS)).as("run 'make test-setup' to install DuckDB into .tools/duckdb").isTrue();
    Files.createSymbolicLink(tmp.resolve("node_modules"), TOOLS.toAbsolutePath());
    Path script = tmp.resolve("read.mjs");
    Files.writeString(script, """
        import { DuckDBInstance } from '@duckdb/node-api';
        const dir = process.argv[2];
        const con = await (await DuckDBInstance.create(':memory:')).connect();
        const one = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson()[0];
        """ + body + "console.log(JSON.stringify(out));\n");
    Process p = new ProcessBuilder("node", script.toString(), data.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).as(output).isZero();
    return new ObjectMapper().readTree(output.substring(output.lastIndexOf('\n') + 1));
  }
}
