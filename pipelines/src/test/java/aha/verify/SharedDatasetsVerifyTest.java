package aha.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The verifiers on the shared evaluation sets (MATH-500, GSM8K, AIME, AMC, Countdown). */
@Tag("shared")
class SharedDatasetsVerifyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MathVerifier verifier = new MathVerifier();

  private static List<JsonNode> rows(String file) throws IOException {
    Path p = Path.of(System.getProperty("aha.shared.dir"), "datasets", file);
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(p)) out.add(JSON.readTree(line));
    return out;
  }

  @Test
  void math500GoldsVerifyAgainstThemselvesAndNotAgainstOthers() throws IOException {
    List<JsonNode> rows = rows("math500/test.jsonl");
    assertThat(rows).hasSize(500);
    int unscorable = 0;
    int selfTrue = 0;
    int crossPairs = 0;
    int crossTrue = 0;
    for (int i = 0; i < rows.size(); i++) {
      String gold = rows.get(i).get("answer").asText();
      String completion =
          "<think>\nLet me work it out. Wait, check.\n</think>\nThe answer is $\\boxed{"
              + gold
              + "}$.";
      Verdict self = verifier.verify(gold, completion);
      if (self.kind() == Verdict.Kind.UNSCORABLE) {
        unscorable++;
        continue;
      }
      assertThat(self.isTrue()).as("gold %s against itself: %s", gold, self.reason()).isTrue();
      selfTrue++;
      String other = rows.get((i + 7) % rows.size()).get("answer").asText();
      if (!other.equals(gold)) {
        crossPairs++;
        if (verifier.verify(gold, "\\boxed{" + other + "}").isTrue()) crossTrue++;
      }
    }
    System.out.printf(
        "MATH-500: %d unscorable golds, %d self-verified, %d/%d cross pairs true%n",
        unscorable, selfTrue, crossTrue, crossPairs);
    assertThat(unscorable).as("unscorable MATH-500 golds").isLessThanOrEqualTo(5);
    assertThat(crossTrue).as("different answers judged equal").isLessThanOrEqualTo(crossPairs / 50);
  }

  @Test
  void math500ReferenceSolutionsReachTheirGold() throws IOException {
    int ok = 0;
    List<JsonNode> rows = rows("math500/test.jsonl");
    for (JsonNode r : rows) {
      if (verifier.verify(r.get("answer").asText(), r.get("solution").asText()).isTrue()) ok++;
    }
    System.out.printf("MATH-500 reference solutions verified: %d/%d%n", ok, rows.size());
    assertThat(ok).isGreaterThanOrEqualTo(495);
  }

  @Test
  void gsm8kAndAimeSolutionsReachTheirGold() throws IOException {
    int ok = 0;
    List<JsonNode> gsm = rows("gsm8k/test.jsonl");
    for (JsonNode r : gsm) {
      if (verifier.verify(r.get("answer").asText(), r.get("solution").asText()).isTrue()) ok++;
    }
    System.out.printf("GSM8K test solutions verified: %d/%d%n", ok, gsm.size());
    // a few solutions end with a different number than their label, or say "answer" early
    assertThat(ok).isGreaterThanOrEqualTo(gsm.size() - 15);

    for (JsonNode r : rows("aime2024/test.jsonl")) {
      assertThat(verifier.verify(r.get("answer").asText(), r.get("solution").asText()).isTrue())
          .as(r.get("id").asText())
          .isTrue();
    }
    for (String set : List.of("aime2025/test.jsonl", "amc2023/test.jsonl")) {
      for (JsonNode r : rows(set)) {
        String gold = r.get("answer").asText();
        assertThat(verifier.verify(gold, "so the answer is \\boxed{" + gold + "}").isTrue())
            .isTrue();
        assertThat(verifier.verify(gold, "so the answer is \\boxed{" + gold + "1}").isTrue())
            .isFalse();
      }
    }
  }

  @Test
  void countdownReferenceExpressionsReachTheirTarget() throws IOException {
    CountdownVerifier countdown = new CountdownVerifier();
    List<JsonNode> rows = rows("countdown/test.jsonl");
    assertThat(rows).hasSize(100);
    for (JsonNode r : rows) {
      List<Long> nums = new ArrayList<>();
      r.get("nums").forEach(n -> nums.add(n.asLong()));
      long target = r.get("target").asLong();
      String expr = r.get("answer_expression").asText();
      assertThat(countdown.verify(nums, target, "<answer>" + expr + "</answer>").isTrue())
          .as(r.get("id").asText())
          .isTrue();
      assertThat(countdown.verify(nums, target + 1, "<answer>" + expr + "</answer>").isTrue())
          .isFalse();
    }
  }
}
