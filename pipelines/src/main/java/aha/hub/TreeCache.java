package aha.hub;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code trees/<commit>.json}: the full listing of a commit, which never changes. huggingface_hub
 * (since 1.22) writes and reuses it, and offline it refuses a snapshot that lacks files the listing
 * names ({@code IncompleteSnapshotError}); aha does the same. Written the way Python's {@code
 * json.dump(indent=1)} writes it, so both clients produce the same bytes.
 */
final class TreeCache {
  private static final Logger LOG = LoggerFactory.getLogger(TreeCache.class);
  static final int FORMAT_VERSION = 1;

  private TreeCache() {}

  static Path path(Path repoDir, String commit) {
    return repoDir.resolve("trees").resolve(commit + ".json");
  }

  /**
   * The cached listing of {@code commit}, or empty when absent, of another format, or unreadable.
   */
  static Optional<List<RepoFile>> read(Path repoDir, String commit) {
    Path p = path(repoDir, commit);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      JsonNode root = HubHttp.JSON.readTree(p.toFile());
      if (root.path("format_version").asInt(-1) != FORMAT_VERSION) {
        return Optional.empty();
      }
      List<RepoFile> files = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("files").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        files.add(
            new RepoFile(
                e.getKey(),
                v.path("size").asLong(),
                v.path("blob_id").asText(null),
                v.hasNonNull("lfs_sha256") ? v.get("lfs_sha256").asText() : null,
                v.hasNonNull("xet_hash") ? v.get("xet_hash").asText() : null));
      }
      return Optional.of(files);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignoring unreadable tree cache {}: {}", p, e.getMessage());
      return Optional.empty();
    }
  }

  /** Writes the listing atomically; a failure only costs a later listing request. */
  static void write(Path repoDir, String commit, List<RepoFile> files) {
    try {
      HubCache.writeAtomically(
          path(repoDir, commit), render(files).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("Could not write the tree cache of {}: {}", commit, e.getMessage());
    }
  }

  /** {@code json.dump(data, f, indent=1)} of the listing, paths sorted, no final newline. */
  static String render(List<RepoFile> files) {
    List<RepoFile> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(RepoFile::path));
    StringBuilder sb = new StringBuilder("{\n \"format_version\": ").append(FORMAT_VERSION);
    sb.append(",\n \"files\": {");
    for (int i = 0; i < sorted.size(); i++) {
      RepoFile f = sorted.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("  ").append(str(f.path())).append(": {\n");
      sb.append("   \"size\": ").append(f.size());
      sb.append(",\n   \"blob_id\": ").append(str(f.gitOid()));
      if (f.lfsSha256() != null) {
        sb.append(",\n   \"lfs_sha256\": ").append(str(f.lfsSha256()));
        sb.append(",\n   \"lfs_size\": ").append(f.size());
      }
      if (f.xetHash() != null) {
        sb.append(",\n   \"xet_hash\": ").append(str(f.xetHash()));
      }
      sb.append("\n  }");
    }
    sb.append(sorted.isEmpty() ? "}\n}" : "\n }\n}");
    return sb.toString();
  }

  /**
   * A JSON string as Python's {@code json.dumps} (ensure_ascii) writes it: lower-case \\u escapes.
   */
  static String str(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c >= ' ' && c <= '~') {
            sb.append(c);
          } else {
            sb.append(String.format("\\u%04x", (int) c));
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
