package aha;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing a folder with everything in it: stage temp folders, snapshots, benchmark scratch. */
public final class FileTree {
  private FileTree() {}

  /** Deletes {@code p} and everything under it, children first; nothing happens if it is absent. */
  public static void delete(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
