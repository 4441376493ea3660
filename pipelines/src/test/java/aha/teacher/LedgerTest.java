package aha.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir Path dir;

  static Ledger.Entry entry(int i) {
    ChatRequest r = ChatRequest.of("m", "Calculate " + i + " + 1.");
    String key = RequestKey.of("p" + i, 0, "http://127.0.0.1:1/v1", r);
    Choice c =
        new Choice(
            0,
            "<think>\nline one\nline \"two\"\n</think>\n\\boxed{" + (i + 1) + "}",
            "line one",
            "stop");
    return new Ledger.Entry(
        key, "p" + i, 0, new ChatResponse("id" + i, "m", List.of(c), new Usage(3, 4, 7)));
  }

  static List<Ledger.Entry> readAll(Path file) throws IOException {
    List<Ledger.Entry> out = new ArrayList<>();
    Ledger.read(file, out::add);
    return out;
  }

  @Test
  void entriesRoundTripAndReopenSkipsFinishedKeys() throws IOException {
    Path file = dir.resolve("ledger.jsonl");
    try (Ledger ledger = Ledger.open(file, Ledger.Fsync.INTERVAL)) {
      for (int i = 0; i < 5; i++) assertThat(ledger.append(entry(i))).isTrue();
      assertThat(ledger.append(entry(2))).as("a duplicate key writes nothing").isFalse();
    }
    assertThat(Files.readAllLines(file)).hasSize(5);
    try (Ledger ledger = Ledger.open(file, Ledger.Fsync.INTERVAL)) {
      assertThat(ledger.size()).isEqualTo(5);
      assertThat(ledger.contains(entry(3).key())).isTrue();
      assertThat(ledger.contains(entry(7).key())).isFalse();
      assertThat(ledger.tornBytesDropped()).isZero();
      assertThat(ledger.get(entry(3).key())).isEqualTo(entry(3));
      assertThat(ledger.get(entry(7).key())).isNull();
      ledger.append(entry(7));
      assertThat(ledger.get(entry(7).key())).isEqualTo(entry(7));
    }
    List<Ledger.Entry> back = readAll(file);
    assertThat(back).hasSize(6);
    assertThat(back.get(1)).isEqualTo(entry(1));
    assertThat(back.get(5)).isEqualTo(entry(7));
  }

  @Test
  void tornLastLineIsDroppedAndTruncated() throws IOException {
    Path file = dir.resolve("ledger.jsonl");
    try (Ledger ledger = Ledger.open(file, Ledger.Fsync.ALWAYS)) {
      for (int i = 0; i < 3; i++) ledger.append(entry(i));
    }
    long goodSize = Files.size(file);
    // a process killed in the middle of writing entry 3: half of its line, no newline
    byte[] line = (Ledger.toJson(entry(3)) + "\n").getBytes(StandardCharsets.UTF_8);
    Files.write(file, java.util.Arrays.copyOf(line, line.length / 2), StandardOpenOption.APPEND);
    assertThat(readAll(file)).hasSize(3);
    try (Ledger ledger = Ledger.open(file, Ledger.Fsync.ALWAYS)) {
      assertThat(ledger.tornBytesDropped()).isEqualTo(line.length / 2);
      assertThat(Files.size(file)).isEqualTo(goodSize);
      assertThat(ledger.contains(entry(3).key())).isFalse();
      assertThat(ledger.append(entry(3))).isTrue();
    }
    assertThat(readAll(file))
        .extracting(Ledger.Entry::problemId)
        .containsExactly("p0", "p1", "p2", "p3");
  }

  @Test
  void damagedLineInTheMiddleIsAnErrorNamingFileAndLine() throws IOException {
    Path file = dir.resolve("ledger.jsonl");
    Files.writeString(
        file, Ledger.toJson(entry(0)) + "\n{garbage\n" + Ledger.toJson(entry(1)) + "\n");
    assertThatThrownBy(() -> Ledger.open(file, Ledger.Fsync.NEVER))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 2");
  }

  @Test
  void requestKeyCoversEverySettingButNotTheStreamFlag() {
    ChatRequest r =
        ChatRequest.of("deepseek-reasoner", "Calculate 1 + 2.").withSampling(0.6, 0.95, 1024);
    String url = "https://api.deepseek.com/v1";
    String key = RequestKey.of("p1", 0, url, r);
    assertThat(key).hasSize(64).isEqualTo(RequestKey.of("p1", 0, url, r.withStream(true)));
    assertThat(RequestKey.of("p1", 0, url, r.withExtra("top_k", 20).withExtra("seed", 1)))
        .isEqualTo(RequestKey.of("p1", 0, url, r.withExtra("seed", 1).withExtra("top_k", 20)));
    assertThat(
            List.of(
                RequestKey.of("p2", 0, url, r),
                RequestKey.of("p1", 1, url, r),
                RequestKey.of("p1", 0, "http://127.0.0.1:8000/v1", r),
                RequestKey.of("p1", 0, url, r.withSampling(0.7, 0.95, 1024)),
                RequestKey.of("p1", 0, url, r.withSampling(0.6, 0.95, 2048)),
                RequestKey.of("p1", 0, url, r.withN(4)),
                RequestKey.of("p1", 0, url, r.withExtra("seed", 1)),
                RequestKey.of(
                    "p1",
                    0,
                    url,
                    new ChatRequest(
                        "other-model", r.messages(), 1, 0.6, 0.95, 1024, Map.of(), false))))
        .doesNotContain(key)
        .doesNotHaveDuplicates();
  }

  @Test
  void shardsSeeEachOthersEntriesButWriteOnlyTheirOwnFile() throws IOException {
    Path shards = dir.resolve("ledger");
    try (Ledger a = Ledger.openShard(shards, "worker-a", Ledger.Fsync.NEVER)) {
      for (int i = 0; i < 3; i++) a.append(entry(i));
    }
    try (Ledger b = Ledger.openShard(shards, "worker-b", Ledger.Fsync.NEVER)) {
      assertThat(b.size()).isEqualTo(3);
      assertThat(b.get(entry(1).key())).isEqualTo(entry(1));
      assertThat(b.append(entry(1))).as("finished in another shard").isFalse();
      assertThat(b.append(entry(5))).isTrue();
    }
    assertThat(readAll(shards.resolve("worker-a.jsonl"))).hasSize(3);
    assertThat(readAll(shards.resolve("worker-b.jsonl"))).containsExactly(entry(5));
  }

  @Test
  void sharedLedgerIsOneInstanceUntilEveryHolderCloses() throws IOException {
    Path file = dir.resolve("shared.jsonl");
    Ledger first = Ledger.shared(file, null, Ledger.Fsync.NEVER);
    Ledger second = Ledger.shared(file, null, Ledger.Fsync.NEVER);
    assertThat(second).isSameAs(first);
    first.append(entry(0));
    first.close();
    assertThat(second.append(entry(1))).as("still open for the other holder").isTrue();
    second.close();
    Ledger third = Ledger.shared(file, null, Ledger.Fsync.NEVER);
    assertThat(third).isNotSameAs(first);
    assertThat(third.size()).isEqualTo(2);
    third.close();
  }

  /** Appends entries forever; the test kills it with SIGKILL. */
  public static final class Writer {
    public static void main(String[] args) throws IOException {
      try (Ledger ledger = Ledger.open(Path.of(args[0]), Ledger.Fsync.NEVER)) {
        for (int i = 0; ; i++) ledger.append(entry(i));
      }
    }
  }

  @Test
  void survivesAWriterKilledWithSigkill() throws Exception {
    Path file = dir.resolve("killed.jsonl");
    Process writer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Writer.class.getName(),
                file.toString())
            .redirectErrorStream(true)
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((!Files.exists(file) || Files.size(file) < 200_000) && System.nanoTime() < deadline) {
        assertThat(writer.isAlive()).as("the writer runs until killed").isTrue();
        Thread.sleep(20);
      }
    } finally {
      writer.destroyForcibly(); // SIGKILL: no close, no flush, no shutdown hook
      writer.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(writer.isAlive()).isFalse();
    try (Ledger ledger = Ledger.open(file, Ledger.Fsync.INTERVAL)) {
      int n = ledger.size();
      assertThat(n).isGreaterThan(100);
      // every surviving entry is complete and in order; the next one can be appended
      List<Ledger.Entry> back = readAll(file);
      assertThat(back).hasSize(n);
      for (int i = 0; i < n; i++) assertThat(back.get(i)).isEqualTo(entry(i));
      assertThat(ledger.append(entry(n))).isTrue();
    }
    assertThat(Files.readString(file)).endsWith("\n");
  }
}
