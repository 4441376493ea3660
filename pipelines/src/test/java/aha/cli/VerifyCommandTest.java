package aha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
  @TempDir Path dir;

  private static final String R1 =
      "<think>\\nLet me compute. Wait, check again.\\n</think>\\nSo the answer is $\\\\boxed{%s}$.";

  @Test
  void mathVerdictsComeBackInInputOrder() throws Exception {
    Path in = dir.resolve("cases.jsonl");
    List<String> lines = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    // many lines so that several batches run in parallel
    for (int i = 0; i < 1500; i++) {
      switch (i % 3) {
        case 0:
          lines.add(
              String.format(
                  "{\"id\": \"c%d\", \"gold\": \"\\\\frac{1}{2}\", \"prediction\": \"" + R1 + "\"}",
                  i,
                  "0.5"));
          expected.add("{\"id\":\"c" + i + "\",\"verdict\":true}");
          break;
        case 1:
          lines.add(
              String.format(
                  "{\"id\": %d, \"gold\": \"3\", \"prediction\": \"" + R1 + "\"}", i, "4"));
          expected.add("{\"id\":" + i + ",\"verdict\":false}");
          break;
        default:
          lines.add(
              String.format(
                  "{\"id\": \"c%d\", \"gold\": \"\\\\frac{\", \"prediction\": \"" + R1 + "\"}",
                  i,
                  "1"));
          expected.add("{\"id\":\"c" + i + "\",\"verdict\":null}");
      }
    }
    Files.write(in, lines);
    Path out = dir.resolve("out/verdicts.jsonl");
    int code =
        Main.execute(
            "verify", "--input", in.toString(), "--output", out.toString(), "--threads", "3");
    assertThat(code).isEqualTo(0);
    assertThat(Files.readAllLines(out)).containsExactlyElementsOf(expected);
    assertThat(Files.list(out.getParent())).hasSize(1); // no temp file left behind
  }

  @Test
  void countdownAcceptsNumsBesideOrInsideGold() throws Exception {
    Path in = dir.resolve("cd.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\": 1, \"gold\": 50, \"nums\": [15, 44, 79], \"prediction\": \"<answer>79 - (44 - 15)</answer>\"}",
            "{\"id\": 2, \"gold\": {\"nums\": [15, 44, 79], \"target\": 50}, \"prediction\": \"<answer>79 + 44 - 15</answer>\"}",
            "{\"id\": 3, \"gold\": \"{\\\"nums\\\": [3, 4], \\\"target\\\": 7}\", \"prediction\": \"<answer>3 + 4</answer>\"}",
            "{\"id\": 4, \"gold\": \"seven\", \"nums\": [3, 4], \"prediction\": \"<answer>3 + 4</answer>\"}"));
    Path out = dir.resolve("cd-out.jsonl");
    int code =
        Main.execute(
            "verify", "--input", in.toString(), "--output", out.toString(), "--task", "countdown");
    assertThat(code).isEqualTo(0);
    assertThat(Files.readAllLines(out))
        .containsExactly(
            "{\"id\":1,\"verdict\":true}",
            "{\"id\":2,\"verdict\":false}",
            "{\"id\":3,\"verdict\":true}",
            "{\"id\":4,\"verdict\":null}");
  }

  @Test
  void malformedLineIsExit2NamingFileAndLineAndWritesNothing() throws Exception {
    Path in = dir.resolve("bad.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\": 1, \"gold\": \"1\", \"prediction\": \"1\"}", "{\"id\": 2, \"gold\": \"1\""));
    Path out = dir.resolve("never.jsonl");
    String err =
        captureErr(
            () ->
                assertThat(
                        Main.execute(
                            "verify", "--input", in.toString(), "--output", out.toString()))
                    .isEqualTo(2));
    assertThat(err).contains(in + ":2").contains("not valid JSON");
    assertThat(out).doesNotExist();
    assertThat(Files.list(dir)).containsExactly(in);
  }

  @Test
  void missingKeyAndMissingNumsAreExit2() throws Exception {
    Path in = dir.resolve("nokey.jsonl");
    Files.write(in, List.of("{\"id\": 1, \"prediction\": \"1\"}"));
    String err =
        captureErr(
            () ->
                assertThat(
                        Main.execute(
                            "verify",
                            "--input",
                            in.toString(),
                            "--output",
                            dir.resolve("o").toString()))
                    .isEqualTo(2));
    assertThat(err).contains(in + ":1").contains("\"gold\"");

    Path cd = dir.resolve("nonums.jsonl");
    Files.write(cd, List.of("{\"id\": 1, \"gold\": 5, \"prediction\": \"1\"}"));
    err =
        captureErr(
            () ->
                assertThat(
                        Main.execute(
                            "verify",
                            "--input",
                            cd.toString(),
                            "--output",
                            dir.resolve("o").toString(),
                            "--task",
                            "countdown"))
                    .isEqualTo(2));
    assertThat(err).contains(cd + ":1").contains("nums");
  }

  @Test
  void missingInputFileAndBadOptionsAreExit2() {
    String err =
        captureErr(
            () ->
                assertThat(
                        Main.execute(
                            "verify",
                            "--input",
                            dir.resolve("none.jsonl").toString(),
                            "--output",
                            dir.resolve("o").toString()))
                    .isEqualTo(2));
    assertThat(err).contains("none.jsonl").contains("does not exist");
    captureErr(() -> assertThat(Main.execute("verify", "--input", "x")).isEqualTo(2));
    captureErr(
        () ->
            assertThat(Main.execute("verify", "--input", "x", "--output", "y", "--task", "chess"))
                .isEqualTo(2));
  }

  @Test
  void helpShowsAnExample() {
    String out = captureOut(() -> assertThat(Main.execute("verify", "--help")).isEqualTo(0));
    assertThat(out).contains("scripts/aha verify --input cases.jsonl --output verdicts.jsonl");
  }

  private static String captureErr(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static String captureOut(Runnable r) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
