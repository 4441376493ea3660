package aha.cli;

import aha.BadInputException;
import aha.verify.CountdownVerifier;
import aha.verify.MathVerifier;
import aha.verify.Verdict;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code aha verify} (DESIGN contract 5): reads {@code {"id", "gold", "prediction"}} lines and
 * writes {@code {"id", "verdict"}} lines in input order, verdict true, false or null (gold cannot
 * be parsed). Streams in batches over a thread pool; the output appears only when complete.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify final answers against gold answers (math or Countdown).",
      "Input lines: {\"id\", \"gold\", \"prediction\"}. Output lines: {\"id\", \"verdict\"} with",
      "verdict true, false, or null when the gold answer itself cannot be parsed.",
      "Countdown lines carry the numbers: {\"id\", \"gold\": 50, \"nums\": [15, 44, 79],",
      "\"prediction\"}, or gold as an object {\"nums\": [15, 44, 79], \"target\": 50}."
    },
    footer = {
      "",
      "Examples:",
      "  scripts/aha verify --input cases.jsonl --output verdicts.jsonl",
      "  scripts/aha verify --input cd.jsonl --output v.jsonl --task countdown",
      "  scripts/aha verify --input cases.jsonl --output v.jsonl --threads 2 --reasons"
    })
final class VerifyCommand implements Callable<Integer> {
  enum Task {
    math,
    countdown
  }

  private static final int BATCH = 512;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--input", required = true, description = "JSONL file of cases.")
  Path input;

  @Option(names = "--output", required = true, description = "JSONL file of verdicts to write.")
  Path output;

  @Option(names = "--task", defaultValue = "math", description = "math (default) or countdown.")
  Task task;

  @Option(names = "--threads", description = "Worker threads (default: available processors).")
  Integer threads;

  @Option(
      names = "--timeout-ms",
      defaultValue = "50",
      description = "Time bound per case in milliseconds (default: 50).")
  long timeoutMs;

  @Option(names = "--reasons", description = "Also write a \"reason\" field per line.")
  boolean reasons;

  /** One parsed input line, ready for a worker. */
  private record Case(int line, JsonNode id, String gold, String prediction, List<Long> nums) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!Files.isRegularFile(input)) {
      throw new BadInputException("Input file " + input + " does not exist or is not a file.");
    }
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) throw new BadInputException("--threads must be at least 1, got " + n + ".");
    if (timeoutMs < 1) throw new BadInputException("--timeout-ms must be at least 1.");
    MathVerifier math = new MathVerifier(new MathVerifier.Options(Duration.ofMillis(timeoutMs), 6));
    CountdownVerifier countdown = new CountdownVerifier();
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "." + output.getFileName() + ".", ".tmp");
    ExecutorService pool = Executors.newFixedThreadPool(n);
    long[] counts = new long[3];
    boolean done = false;
    try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      List<Case> batch = new ArrayList<>(BATCH);
      int lineNo = 0;
      String line;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) continue;
        batch.add(parse(line, lineNo));
        if (batch.size() == BATCH) {
          runBatch(batch, pool, math, countdown, out, counts);
          batch.clear();
        }
      }
      runBatch(batch, pool, math, countdown, out, counts);
      done = true;
    } finally {
      pool.shutdownNow();
      if (!done) Files.deleteIfExists(tmp);
    }
    Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.err.printf(
        "aha verify: %d cases: %d true, %d false, %d unscorable -> %s%n",
        counts[0] + counts[1] + counts[2], counts[0], counts[1], counts[2], output);
    return Main.EXIT_OK;
  }

  private void runBatch(
      List<Case> batch,
      ExecutorService pool,
      MathVerifier math,
      CountdownVerifier countdown,
      BufferedWriter out,
      long[] counts)
      throws IOException, InterruptedException {
    List<Future<Verdict>> futures = new ArrayList<>(batch.size());
    for (Case c : batch) futures.add(pool.submit(() -> verify(c, math, countdown)));
    for (int i = 0; i < batch.size(); i++) {
      Verdict v;
      try {
        v = futures.get(i).get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("verifying line " + batch.get(i).line(), e.getCause());
      }
      counts[v.kind().ordinal()]++;
      ObjectNode o = JSON.createObjectNode();
      o.set("id", batch.get(i).id());
      Boolean b = v.asBoolean();
      if (b == null) o.putNull("verdict");
      else o.put("verdict", b);
      if (reasons) o.put("reason", v.reason());
      out.write(JSON.writeValueAsString(o));
      out.write('\n');
    }
  }

  private Verdict verify(Case c, MathVerifier math, CountdownVerifier countdown) {
    if (task == Task.math) return math.verify(c.gold(), c.prediction());
    long target;
    try {
      target = Long.parseLong(c.gold().strip());
    } catch (NumberFormatException e) {
      return Verdict.unscorable("target is not an integer: " + c.gold());
    }
    return countdown.verify(c.nums(), target, c.prediction());
  }

  private Case parse(String line, int lineNo) {
    String where = input + ":" + lineNo;
    JsonNode o;
    try {
      o = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadInputException(where + ": not valid JSON (" + e.getOriginalMessage() + ").");
    }
    if (o == null || !o.isObject())
      throw new BadInputException(where + ": expected a JSON object.");
    for (String key : new String[] {"id", "gold", "prediction"}) {
      if (!o.has(key)) throw new BadInputException(where + ": missing key \"" + key + "\".");
    }
    JsonNode pred = o.get("prediction");
    if (!pred.isTextual() && !pred.isNull()) {
      throw new BadInputException(where + ": key \"prediction\" must be a string.");
    }
    JsonNode gold = o.get("gold");
    JsonNode nums = o.get("nums");
    if (task == Task.countdown) {
      if (gold.isTextual() && gold.asText().strip().startsWith("{")) {
        try {
          gold = JSON.readTree(gold.asText());
        } catch (JsonProcessingException e) {
          throw new BadInputException(where + ": key \"gold\" holds malformed JSON.");
        }
      }
      if (gold.isObject()) {
        nums = gold.get("nums");
        gold = gold.get("target");
        if (gold == null) throw new BadInputException(where + ": gold object lacks \"target\".");
      }
      if (nums == null || !nums.isArray() || nums.isEmpty()) {
        throw new BadInputException(
            where + ": countdown needs \"nums\": a non-empty array of integers.");
      }
    }
    if (!gold.isTextual() && !gold.isNumber() && !gold.isNull()) {
      throw new BadInputException(where + ": key \"gold\" must be a string or a number.");
    }
    List<Long> numbers = null;
    if (task == Task.countdown) {
      numbers = new ArrayList<>();
      for (JsonNode x : nums) {
        boolean integral =
            x.isIntegralNumber() && x.canConvertToLong()
                || x.isTextual() && x.asText().matches("\\d{1,18}");
        if (!integral) {
          throw new BadInputException(where + ": \"nums\" must hold integers, got " + x + ".");
        }
        numbers.add(x.asLong());
      }
    }
    String goldText = gold.isNull() ? "" : gold.isNumber() ? gold.asText() : gold.textValue();
    return new Case(lineNo, o.get("id"), goldText, pred.isNull() ? "" : pred.textValue(), numbers);
  }
}
