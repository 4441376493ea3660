package aha.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import aha.teacher.LocalTeacher;
import aha.teacher.LocalTeacherServer;
import aha.testing.Cli;
import aha.testing.Runs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With an API key and an HF token in the environment, no output, manifest, ledger or log holds either. */
@Tag("slow")
class SecretsTest {
  static final String API_KEY = "sk-aha-test-SECRET-0123456789abcdef";
  static final String HF_TOKEN = "hf_ahaTestSecretToken0123456789ABCDEF";

  @Test
  void secretsFromTheEnvironmentReachNoFile(@TempDir Path tmp) throws Exception {
    try (LocalTeacherServer server = LocalTeacherServer.start(new LocalTeacher(LocalTeacher.Options.defaults()))) {
      Path recipe = Runs.writeRecipe(tmp, """
          name: secrets
          seed: 1
          stages:
            - type: prepare
              source: {generator: countdown, count: 30, style: short}
              eval_holdout: 3
            - type: generate
              teacher: {kind: openai, base_url: "%s", model: r1, api_key_env: AHA_TEST_KEY}
              num_generations: 2
              sampling: {temperature: 0.6}
            - type: filter
              verifier: countdown
          """.formatted(server.baseUrl()));
      Path log = tmp.resolve("run.log");
      Process p = Cli.start(log, Map.of("AHA_TEST_KEY", API_KEY, "HF_TOKEN", HF_TOKEN, "HF_HOME", tmp.resolve("hf").toString()),
          "run", recipe.toString(), "--output-dir", tmp.resolve("out").toString());
      assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(log)).isZero();
      assertThat(Files.exists(tmp.resolve("out/secrets/03-filter/_MANIFEST.json"))).isTrue();
      long scanned = 0;
      try (Stream<Path> files = Files.walk(tmp)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          // Parquet pages are Snappy-compressed: a secret could hide there, so scan decoded rows too
          String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
          assertThat(text).as(f.toString()).doesNotContain(API_KEY).doesNotContain(HF_TOKEN).doesNotContain("SECRET");
          if (f.toString().endsWith(".parquet")) {
            aha.dataset.ParquetFiles.readAll(java.util.List.of(f), r -> r.toString())
                .forEach(row -> assertThat(row).doesNotContain(API_KEY).doesNotContain(HF_TOKEN));
          }
          scanned++;
        }
      }
      assertThat(scanned).isGreaterThan(8);
    }
  }
}
