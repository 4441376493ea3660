package aha.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** {@code metrics.jsonl}: one JSON object per optimizer step, flushed as it is written. */
public final class MetricsLog implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final BufferedWriter out;

  private MetricsLog(BufferedWriter out) {
    this.out = out;
  }

  /**
   * Opens the log for appending after step {@code keepUpTo}: lines of later steps (written after
   * the checkpoint a resumed run starts from) and a torn last line are dropped.
   */
  public static MetricsLog open(Path file, int keepUpTo) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    List<String> kept = new ArrayList<>();
    if (Files.exists(file) && keepUpTo > 0) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          JsonNode n = JSON.readTree(line);
          if (n != null && n.path("step").asInt(Integer.MAX_VALUE) <= keepUpTo) kept.add(line);
        } catch (IOException torn) {
          // a line cut by a crash
        }
      }
    }
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.write(tmp, kept, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
  }

  public void write(ObjectNode row) throws IOException {
    out.write(JSON.writeValueAsString(row));
    out.write('\n');
    out.flush();
  }

  /** The rows of a log file. */
  public static List<JsonNode> read(Path file) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) rows.add(JSON.readTree(line));
    }
    return rows;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
