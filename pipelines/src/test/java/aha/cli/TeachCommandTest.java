package aha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import aha.teacher.ChatRequest;
import aha.teacher.LocalTeacher;
import aha.teacher.TeacherClient;
import aha.teacher.TeacherClientConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TeachCommandTest {
  @Test
  void serveAnswersOnThePrintedUrl() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    CompletableFuture<Integer> exit;
    String url;
    try {
      exit =
          CompletableFuture.supplyAsync(
              () ->
                  Main.execute(
                      "teach", "serve", "--port", "0", "--seed", "7", "--max-seconds", "20"));
      long deadline = System.nanoTime() + 10_000_000_000L;
      Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/v1").matcher("");
      while (!m.reset(captured.toString(StandardCharsets.UTF_8)).find()
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      url = m.group();
    } finally {
      System.setOut(original);
    }
    try (TeacherClient client = new TeacherClient(TeacherClientConfig.defaults(url, null))) {
      String content =
          client
              .complete(ChatRequest.of(LocalTeacher.MODEL, "Use 3 8 6 to make 16."))
              .choices()
              .get(0)
              .content();
      assertThat(content).endsWith("<answer>(6/3)*8</answer>");
    }
    assertThat(exit.isDone()).isFalse();
  }

  @Test
  void badOptionsExitWithCode2() {
    assertThat(Main.execute("teach", "serve", "--slip-rate", "1.5")).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(Main.execute("teach", "serve", "--verbosity", "5")).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(Main.execute("teach", "serve", "--port", "70000")).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(Main.execute("teach", "serve", "--fault-500", "0.7", "--fault-drop", "0.7"))
        .isEqualTo(Main.EXIT_BAD_INPUT);
  }

  @Test
  void helpShowsAnExample() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.execute("teach", "serve", "--help");
    } finally {
      System.setOut(original);
    }
    assertThat(code).isZero();
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("Examples:", "scripts/aha teach serve --port 8000", "--slip-rate");
  }
}
