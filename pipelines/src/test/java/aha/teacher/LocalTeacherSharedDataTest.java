package aha.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The local teacher solves the shared Countdown test set in its own wording. */
@Tag("shared")
class LocalTeacherSharedDataTest {
  @Test
  void solvesEverySharedCountdownProblem() throws Exception {
    Path file =
        Path.of(System.getProperty("aha.shared.dir"), "datasets", "countdown", "test.jsonl");
    LocalTeacher teacher = new LocalTeacher(LocalTeacher.Options.defaults());
    ObjectMapper json = new ObjectMapper();
    int count = 0;
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) continue;
      JsonNode row = json.readTree(line);
      List<Long> nums = new ArrayList<>();
      row.get("nums").forEach(n -> nums.add(n.asLong()));
      long target = row.get("target").asLong();
      String content =
          teacher.complete(ChatRequest.of("m", row.get("problem").asText())).get(0).content();
      String expression =
          LocalTeacherTest.extract(
              java.util.regex.Pattern.compile("<answer>(.*?)</answer>"), content);
      assertThat(LocalTeacherTest.countdownCorrect(expression, nums, target))
          .as("%s: %s", row.get("id").asText(), content)
          .isTrue();
      count++;
    }
    assertThat(count).isEqualTo(100);
  }
}
