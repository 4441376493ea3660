package aha.teacher;

import aha.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Append-only JSONL record of finished teacher responses, one line per {@link RequestKey}, so that
 * a crashed or killed run resumes without sending (and paying for) a finished request again.
 *
 * <p>Crash safety: each entry is one {@code write} of a whole line ending in {@code \n}. A process
 * killed mid-write can leave a torn last line (no newline); {@link #open} drops it and truncates
 * the file back to the last complete line, so that request is simply sent again. A damaged line
 * anywhere else is not something a crash produces, so it is an error naming the file and line.
 *
 * <p>Durability ({@link Fsync}): a written line is in the operating system's page cache at once,
 * which survives the process being killed (SIGKILL, OOM); {@code fsync} is what survives a power
 * loss or kernel crash. {@link Fsync#INTERVAL} (the default) forces the file at most once a second
 * and on close, so a machine crash loses at most about a second of answers, which are then
 * re-requested; {@link Fsync#ALWAYS} forces after every entry; {@link Fsync#NEVER} only on close.
 *
 * <p>Writers: one process appends to one file. Threads of one JVM share a ledger through {@link
 * #shared}; separate processes (Spark executors) each write their own shard ({@link #openShard}) in
 * one directory and see every shard's entries as finished.
 *
 * <p>Memory: only the keys and their line offsets are held; {@link #get} reads one entry back from
 * the file and {@link #read} streams them all.
 */
public final class Ledger implements Closeable {
  /** When the ledger calls {@code fsync}. */
  public enum Fsync {
    ALWAYS,
    INTERVAL,
    NEVER
  }

  /** One finished request: its key, where it belongs, and the whole response. */
  public record Entry(String key, String problemId, int sampleIndex, ChatResponse response) {}

  private static final long FSYNC_INTERVAL_NANOS = 1_000_000_000L;

  private final Path file;
  private final Fsync fsync;
  private final FileChannel channel;
  private final Map<String, Location> index; // key -> where its line starts
  private final int tornBytesDropped;
  private int refs = 1; // holders of a shared ledger (see #shared)

  /** Where an entry's line starts: this ledger's own file or another shard's. */
  private record Location(Path file, long offset) {}

  private static final Map<Path, Ledger> SHARED = new HashMap<>();
  private long lastForce = System.nanoTime();
  private boolean dirty;

  private Ledger(
      Path file, Fsync fsync, FileChannel channel, Map<String, Location> index, int torn) {
    this.file = file;
    this.fsync = fsync;
    this.channel = channel;
    this.index = index;
    this.tornBytesDropped = torn;
  }

  /** Opens (or creates) a ledger, reading back the finished keys and repairing a torn tail. */
  public static Ledger open(Path file, Fsync fsync) throws IOException {
    return open(file, List.of(), fsync);
  }

  /**
   * Opens shard {@code <dir>/<shard>.jsonl} of a ledger kept as one file per writer process (a
   * Spark cluster has one JVM per executor, and two processes must never append to one file).
   * Entries of every other {@code *.jsonl} in the directory count as finished and can be read back;
   * only this shard is written (and repaired if torn).
   */
  public static Ledger openShard(Path dir, String shard, Fsync fsync) throws IOException {
    if (!shard.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("a ledger shard name is letters, digits, '.', '_', '-'");
    }
    Files.createDirectories(dir);
    Path own = dir.resolve(shard + ".jsonl");
    List<Path> others = new ArrayList<>();
    try (var listing = Files.list(dir)) {
      listing
          .filter(p -> p.getFileName().toString().endsWith(".jsonl") && !p.equals(own))
          .sorted()
          .forEach(others::add);
    }
    return open(own, others, fsync);
  }

  /**
   * One ledger per file for the whole JVM, for writers that run as several threads (Beam creates a
   * DoFn instance per thread): the first call opens it, later calls share it, and it closes when
   * every holder has called {@link #close}. Returns {@link #openShard} when {@code shard} is not
   * null, else {@link #open} of {@code path}.
   */
  public static Ledger shared(Path path, String shard, Fsync fsync) throws IOException {
    Path own = (shard == null ? path : path.resolve(shard + ".jsonl")).toAbsolutePath().normalize();
    synchronized (SHARED) {
      Ledger existing = SHARED.get(own);
      if (existing != null) {
        synchronized (existing) {
          existing.refs++;
        }
        return existing;
      }
      Ledger ledger = shard == null ? open(path, fsync) : openShard(path, shard, fsync);
      SHARED.put(own, ledger);
      return ledger;
    }
  }

  private static Ledger open(Path file, List<Path> others, Fsync fsync) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Map<String, Location> index = new HashMap<>();
    for (Path other : others) {
      // another writer's shard: read what is complete, never modify it
      try (FileChannel reader = FileChannel.open(other, StandardOpenOption.READ)) {
        scan(other, reader, (e, offset) -> index.putIfAbsent(e.key(), new Location(other, offset)));
      }
    }
    long good = 0;
    if (Files.exists(file)) {
      try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
        good =
            scan(
                file,
                reader,
                (e, offset) -> index.putIfAbsent(e.key(), new Location(file, offset)));
      }
    }
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      long size = channel.size();
      if (good < size) {
        channel.truncate(good); // the torn tail of a killed writer
        channel.force(true);
      }
      channel.position(good);
      return new Ledger(file, fsync, channel, index, (int) (size - good));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Streams every complete entry of a ledger file (a torn last line is skipped). */
  public static void read(Path file, Consumer<Entry> sink) throws IOException {
    if (!Files.exists(file)) return;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      scan(file, channel, (e, offset) -> sink.accept(e));
    }
  }

  /** Reads complete lines; returns the byte offset just after the last complete line. */
  private static long scan(Path file, FileChannel channel, BiConsumer<Entry, Long> sink)
      throws IOException {
    long offset = 0;
    int lineNo = 0;
    channel.position(0);
    try (BufferedReader in =
        new BufferedReader(
            java.nio.channels.Channels.newReader(channel, StandardCharsets.UTF_8), 1 << 16)) {
      // read by hand to know whether the last line ended with '\n'
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1) {
        if (c != '\n') {
          line.append((char) c);
          continue;
        }
        lineNo++;
        String text = line.toString();
        line.setLength(0);
        if (!text.isBlank()) {
          sink.accept(parse(file, lineNo, text), offset);
        }
        offset += text.getBytes(StandardCharsets.UTF_8).length + 1;
      }
    }
    return offset;
  }

  private static Entry parse(Path file, int lineNo, String text) {
    try {
      JsonNode n = ChatCodec.JSON.readTree(text);
      List<Choice> choices = new ArrayList<>();
      for (JsonNode c : n.path("choices")) {
        choices.add(
            new Choice(
                c.path("index").asInt(),
                c.path("content").asText(""),
                c.path("reasoning").asText(""),
                ChatCodec.textOrNull(c.get("finish_reason"))));
      }
      JsonNode u = n.path("usage");
      Usage usage =
          new Usage(
              u.path("prompt_tokens").asLong(),
              u.path("completion_tokens").asLong(),
              u.path("total_tokens").asLong());
      String key = n.path("key").asText("");
      if (key.isEmpty()) throw new IllegalArgumentException("no key");
      return new Entry(
          key,
          n.path("problem_id").asText(),
          n.path("sample_index").asInt(),
          new ChatResponse(n.path("id").asText(""), n.path("model").asText(""), choices, usage));
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(
          "ledger "
              + file
              + " line "
              + lineNo
              + " is not a complete ledger entry (a crash only tears the last line); move the"
              + " file aside to start over.",
          e);
    }
  }

  static String toJson(Entry e) {
    ObjectNode n = ChatCodec.JSON.createObjectNode();
    n.put("key", e.key());
    n.put("problem_id", e.problemId());
    n.put("sample_index", e.sampleIndex());
    n.put("id", e.response().id());
    n.put("model", e.response().model());
    ArrayNode choices = n.putArray("choices");
    for (Choice c : e.response().choices()) {
      ObjectNode cn = choices.addObject();
      cn.put("index", c.index());
      cn.put("content", c.content());
      cn.put("reasoning", c.reasoning());
      cn.put("finish_reason", c.finishReason());
    }
    Usage u = e.response().usage();
    n.putObject("usage")
        .put("prompt_tokens", u.promptTokens())
        .put("completion_tokens", u.completionTokens())
        .put("total_tokens", u.totalTokens());
    return ChatCodec.write(n); // Jackson escapes '\n' inside strings: one entry is one line
  }

  public synchronized boolean contains(String key) {
    return index.containsKey(key);
  }

  public synchronized int size() {
    return index.size();
  }

  /** The finished keys read back at open plus those appended since. */
  public synchronized Set<String> keys() {
    return Collections.unmodifiableSet(new HashSet<>(index.keySet()));
  }

  /** The finished entry of a key, read back from the file, or null when the key is not there. */
  public Entry get(String key) {
    Location at;
    synchronized (this) {
      at = index.get(key);
    }
    if (at == null) return null;
    try {
      FileChannel reader = reader(at.file());
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      long position = at.offset();
      int n;
      outer:
      while ((n = reader.read(buf, position)) > 0) { // positional reads: safe across threads
        position += n;
        buf.flip();
        while (buf.hasRemaining()) {
          byte b = buf.get();
          if (b == '\n') break outer;
          line.write(b);
        }
        buf.clear();
      }
      return parse(at.file(), -1, line.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ledger " + at.file(), e);
    }
  }

  private final Map<Path, FileChannel> readers = new HashMap<>();

  private synchronized FileChannel reader(Path path) throws IOException {
    FileChannel r = readers.get(path);
    if (r == null) {
      r = FileChannel.open(path, StandardOpenOption.READ);
      readers.put(path, r);
    }
    return r;
  }

  /** Bytes of a torn last line dropped when the ledger was opened (0 after a clean stop). */
  public int tornBytesDropped() {
    return tornBytesDropped;
  }

  public Path file() {
    return file;
  }

  /**
   * Records a finished response. Returns false (writing nothing) when the key is already there, so
   * two racing answers to one request never make two rows.
   */
  public synchronized boolean append(Entry entry) {
    if (index.containsKey(entry.key())) return false;
    ByteBuffer bytes = ByteBuffer.wrap((toJson(entry) + "\n").getBytes(StandardCharsets.UTF_8));
    long start;
    try {
      start = channel.position();
      while (bytes.hasRemaining()) channel.write(bytes);
      dirty = true;
      long now = System.nanoTime();
      if (fsync == Fsync.ALWAYS
          || (fsync == Fsync.INTERVAL && now - lastForce >= FSYNC_INTERVAL_NANOS)) {
        channel.force(false);
        lastForce = now;
        dirty = false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to ledger " + file, e);
    }
    index.put(entry.key(), new Location(file, start));
    return true;
  }

  @Override
  public void close() throws IOException {
    synchronized (SHARED) {
      synchronized (this) {
        if (--refs > 0) return;
        SHARED.values().remove(this);
        closeChannel();
      }
    }
  }

  private void closeChannel() throws IOException {
    for (FileChannel r : readers.values()) r.close();
    readers.clear();
    if (!channel.isOpen()) return;
    if (dirty) channel.force(false);
    channel.close();
  }
}
