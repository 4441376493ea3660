package aha.hub;

import aha.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The on-disk cache of {@code huggingface_hub}, byte for byte where Python reads it:
 *
 * <pre>
 * &lt;cache&gt;/models--org--name/refs/main                 40-hex commit, no newline
 *                         blobs/&lt;etag&gt;                 content (etag = sha256 for LFS, git sha1 otherwise)
 *                         snapshots/&lt;commit&gt;/&lt;path&gt;   relative symlink to ../../blobs/&lt;etag&gt;
 *                         .no_exist/&lt;commit&gt;/&lt;path&gt;   empty: this path is absent at that commit
 * </pre>
 *
 * Every write is a temp file (or link) plus an atomic rename, so a crash never leaves a file that
 * looks complete.
 */
public final class HubCache {
  static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final String CACHEDIR_TAG =
      "Signature: 8a477f597d28d172789f06886806bc55\n"
          + "# This file is a cache directory tag created by huggingface_hub.\n"
          + "# For information about cache directory tags, see:\n"
          + "#\thttps://bford.info/cachedir/\n";

  private final Path root;

  public HubCache(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** {@code models--org--name}: the type plural, then the repo id with {@code /} as {@code --}. */
  static String folderName(RepoType type, String repoId) {
    checkRepoId(repoId);
    return type.plural() + "--" + repoId.replace("/", "--");
  }

  public Path repoDir(RepoType type, String repoId) {
    return root.resolve(folderName(type, repoId));
  }

  Path blob(Path repoDir, String etag) {
    return repoDir.resolve("blobs").resolve(etag);
  }

  /** The pre-v1.18 shared partial-download name, which also lets a later run resume. */
  Path incomplete(Path repoDir, String etag) {
    return repoDir.resolve("blobs").resolve(etag + ".incomplete");
  }

  Path lockFile(Path repoDir, String etag) {
    return root.resolve(".locks").resolve(repoDir.getFileName().toString()).resolve(etag + ".lock");
  }

  public Path snapshotDir(Path repoDir, String commit) {
    return repoDir.resolve("snapshots").resolve(commit);
  }

  /** {@code snapshots/<commit>/<path>}, refusing paths that would leave the snapshot folder. */
  public Path pointer(Path repoDir, String commit, String pathInRepo) {
    return inside(snapshotDir(repoDir, commit), pathInRepo);
  }

  Path noExist(Path repoDir, String commit, String pathInRepo) {
    return inside(repoDir.resolve(".no_exist").resolve(commit), pathInRepo);
  }

  /** The commit that {@code refs/<revision>} names, if the cache has one. */
  public Optional<String> readRef(Path repoDir, String revision) throws IOException {
    if (COMMIT.matcher(revision).matches()) {
      return Optional.of(revision);
    }
    Path ref = inside(repoDir.resolve("refs"), revision);
    if (!Files.isRegularFile(ref)) {
      return Optional.empty();
    }
    // Python uses the content verbatim as a folder name; tolerate (but never write) whitespace
    return Optional.of(Files.readString(ref, StandardCharsets.UTF_8).strip());
  }

  /** Writes {@code refs/<revision>} = commit, without newline, only when it changed. */
  void writeRef(Path repoDir, String revision, String commit) throws IOException {
    if (revision.equals(commit)) {
      return;
    }
    Path ref = inside(repoDir.resolve("refs"), revision);
    if (Files.isRegularFile(ref) && Files.readString(ref, StandardCharsets.UTF_8).equals(commit)) {
      return;
    }
    writeAtomically(ref, commit.getBytes(StandardCharsets.US_ASCII));
  }

  /** Marks that {@code pathInRepo} does not exist at {@code commit} (an empty file). */
  void markNoExist(Path repoDir, String commit, String pathInRepo) throws IOException {
    Path marker = noExist(repoDir, commit, pathInRepo);
    Files.createDirectories(marker.getParent());
    if (!Files.exists(marker)) {
      writeAtomically(marker, new byte[0]);
    }
  }

  boolean isMarkedNoExist(Path repoDir, String commit, String pathInRepo) {
    return Files.exists(noExist(repoDir, commit, pathInRepo));
  }

  /**
   * Points {@code pointer} at {@code blob} with a relative symlink, replacing what was there. Where
   * symlinks are not possible the blob is copied, as Python's degraded mode does.
   */
  void link(Path pointer, Path blob) throws IOException {
    Files.createDirectories(pointer.getParent());
    Path target = pointer.getParent().relativize(blob);
    Path tmp =
        pointer.resolveSibling("." + pointer.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createSymbolicLink(tmp, target);
    } catch (UnsupportedOperationException | IOException e) {
      Files.deleteIfExists(tmp);
      Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
    }
    moveAtomically(tmp, pointer);
  }

  /** The cached file for a revision (branch, tag or commit), following refs; empty if absent. */
  public Optional<Path> cachedFile(RepoType type, String repoId, String revision, String pathInRepo)
      throws IOException {
    Path repoDir = repoDir(type, repoId);
    Optional<String> commit = readRef(repoDir, revision);
    if (commit.isEmpty()) {
      return Optional.empty();
    }
    Path p = pointer(repoDir, commit.get(), pathInRepo);
    return Files.exists(p) ? Optional.of(p) : Optional.empty();
  }

  /** The snapshot folder for a revision, if the cache has one. */
  public Optional<Path> cachedSnapshot(RepoType type, String repoId, String revision)
      throws IOException {
    Path repoDir = repoDir(type, repoId);
    Optional<String> commit = readRef(repoDir, revision);
    if (commit.isEmpty()) {
      return Optional.empty();
    }
    Path dir = snapshotDir(repoDir, commit.get());
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  /** {@code CACHEDIR.TAG} so backup tools skip the cache; written once. */
  void writeCacheDirTag() throws IOException {
    Path tag = root.resolve("CACHEDIR.TAG");
    if (!Files.exists(tag)) {
      Files.createDirectories(root);
      writeAtomically(tag, CACHEDIR_TAG.getBytes(StandardCharsets.US_ASCII));
    }
  }

  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.write(tmp, bytes);
      moveAtomically(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      // a directory or a racing writer: the content is the same blob either way
      Files.deleteIfExists(from);
    }
  }

  /**
   * Resolves a repo path (or a revision used as a ref file name) under {@code base}, refusing
   * absolute paths, {@code ..}, empty segments and backslashes: a hostile listing must not make us
   * write outside the cache.
   */
  static Path inside(Path base, String relative) {
    if (relative == null
        || relative.isEmpty()
        || relative.startsWith("/")
        || relative.contains("\\")
        || relative.contains("\0")
        || relative.matches("^[A-Za-z]:.*")) {
      throw new BadInputException(
          "Refusing repo path '"
              + relative
              + "': it must be a relative path inside the repository.");
    }
    for (String seg : relative.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw new BadInputException(
            "Refusing repo path '" + relative + "': it would escape the cache folder.");
      }
    }
    Path p = base.resolve(relative).normalize();
    if (!p.startsWith(base)) {
      throw new BadInputException(
          "Refusing repo path '" + relative + "': it would escape the cache folder.");
    }
    return p;
  }

  static void checkRepoId(String repoId) {
    if (repoId == null
        || !repoId.matches("[\\w.\\-]+(/[\\w.\\-]+)?")
        || repoId.contains("--")
        || repoId.contains("..")
        || repoId.startsWith(".")) {
      throw new BadInputException(
          "Invalid repo id '"
              + repoId
              + "': expected 'name' or 'org/name' with letters, digits, '-', '_' and '.'.");
    }
  }
}
