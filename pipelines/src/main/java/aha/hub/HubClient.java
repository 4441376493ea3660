package aha.hub;

import aha.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Hub for aha's stages and CLI: download into the standard Hugging Face cache (which
 * transformers and datasets read offline) and push folders as commits.
 *
 * <pre>{@code
 * HubClient hub = new HubClient(HubSettings.fromEnv());
 * Path model = hub.snapshot("Qwen/Qwen2.5-0.5B-Instruct", RepoType.MODEL, "main", List.of("*.json", "*.safetensors"));
 * hub.upload("me/countdown-sft", RepoType.DATASET, Path.of("datasets/run/03-filter"), "filtered traces");
 * }</pre>
 */
public final class HubClient {
  private final HubSettings settings;
  private final HubCache cache;
  private final HubHttp http;
  private final FileDownloader files;
  private final SnapshotDownloader snapshots;
  private final CommitUploader uploader;

  public HubClient(HubSettings settings) {
    this(settings, d -> Thread.sleep(d.toMillis()));
  }

  /** With a custom pause between retries (tests record the waits instead of sleeping). */
  HubClient(HubSettings settings, HubHttp.Sleeper sleeper) {
    this.settings = settings;
    this.cache = new HubCache(settings.cacheDir());
    this.http = new HubHttp(settings, sleeper);
    this.files = new FileDownloader(http, cache, sleeper);
    this.snapshots = new SnapshotDownloader(http, cache, files);
    this.uploader = new CommitUploader(http);
  }

  public HubSettings settings() {
    return settings;
  }

  public HubCache cache() {
    return cache;
  }

  /**
   * Downloads the files of {@code repoId} at {@code revision} that match {@code allowPatterns}
   * (fnmatch globs; null or empty = all) and returns {@code snapshots/<commit>/}. Files already in
   * the cache are not fetched again; offline, the cached snapshot is returned.
   */
  public Path snapshot(String repoId, RepoType type, String revision, List<String> allowPatterns)
      throws IOException {
    return snapshot(repoId, type, revision, allowPatterns, List.of());
  }

  /**
   * As {@link #snapshot(String, RepoType, String, List)}, also dropping paths that match {@code
   * ignorePatterns}.
   */
  public Path snapshot(
      String repoId,
      RepoType type,
      String revision,
      List<String> allowPatterns,
      List<String> ignorePatterns)
      throws IOException {
    HubCache.checkRepoId(repoId);
    return snapshots.download(
        type, repoId, rev(revision), PathPatterns.of(allowPatterns, ignorePatterns));
  }

  /** Downloads one file and returns its path under {@code snapshots/<commit>/}. */
  public Path download(String repoId, RepoType type, String revision, String pathInRepo)
      throws IOException {
    HubCache.checkRepoId(repoId);
    return files.download(type, repoId, rev(revision), pathInRepo);
  }

  /**
   * The local files of one split of a Hub dataset config (null config = the default one), as {@code
   * datasets} would pick them: from the README's {@code configs} block, else by the {@code
   * push_to_hub} naming. Card and files come from the same commit; the list is sorted.
   */
  public List<Path> datasetFiles(String repoId, String revision, String config, String split)
      throws IOException {
    Path first = snapshot(repoId, RepoType.DATASET, revision, List.of("README.md"));
    Path readme = first.resolve("README.md");
    String card = Files.isRegularFile(readme) ? Files.readString(readme) : null;
    List<String> globs = DataFiles.patterns(card, config, split);
    String commit = first.getFileName().toString();
    Path snap = snapshot(repoId, RepoType.DATASET, commit, globs);
    PathPatterns wanted = PathPatterns.of(globs, List.of());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(snap)) {
      files =
          walk.filter(p -> !Files.isDirectory(p))
              .filter(p -> wanted.matches(snap.relativize(p).toString().replace('\\', '/')))
              .sorted()
              .toList();
    }
    if (files.isEmpty()) {
      throw new BadInputException(
          "Dataset "
              + repoId
              + " has no files for config '"
              + (config == null ? "default" : config)
              + "', split '"
              + split
              + "' (looked for "
              + globs
              + ").");
    }
    return files;
  }

  /** All files of a revision, from the paginated tree API. */
  public List<RepoFile> listFiles(String repoId, RepoType type, String revision)
      throws IOException {
    HubCache.checkRepoId(repoId);
    String r = rev(revision);
    return snapshots.listFiles(type, repoId, r, type.id() + " " + repoId + " at revision " + r);
  }

  /**
   * Pushes {@code folder} to the {@code main} branch of an existing repository; see the full
   * overload.
   */
  public CommitInfo upload(String repoId, RepoType type, Path folder, String message)
      throws IOException {
    return upload(repoId, type, folder, message, "main", false);
  }

  /**
   * Pushes every file of {@code folder} (but {@code .git/} and {@code .cache/}) as one commit on
   * {@code revision}, adding a generated README.md card when the folder has none; with {@code
   * create}, creates the repository first (with the namespace's default visibility) if it does not
   * exist. Files the Hub already has with the same content are skipped.
   */
  public CommitInfo upload(
      String repoId, RepoType type, Path folder, String message, String revision, boolean create)
      throws IOException {
    return uploader.upload(
        type,
        repoId,
        folder,
        message == null || message.isBlank() ? "Upload with aha" : message,
        rev(revision),
        create);
  }

  private static String rev(String revision) {
    return revision == null || revision.isBlank() ? "main" : revision;
  }
}
