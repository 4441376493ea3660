package aha.publish;

import aha.BadInputException;
import aha.WorkFailedException;
import aha.hub.CommitInfo;
import aha.hub.HubClient;
import aha.hub.HubSettings;
import aha.hub.RepoType;
import aha.stage.Manifest;
import aha.stage.Stage;
import aha.stage.StageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Uploads a finished stage. A dataset repo gets the stage's {@code data/} files and its manifest;
 * a model repo gets the {@code checkpoint/} folder. The files are staged in this stage's own folder
 * first, so what was pushed is also what the manifest lists.
 */
public final class PublishStage implements Stage<PublishSpec> {
  @Override
  public void run(PublishSpec spec, StageContext ctx) throws IOException {
    Path source = ctx.input(spec.from());
    boolean hasCheckpoint = Files.isDirectory(source.resolve("checkpoint"));
    String type = spec.repoType() != null ? spec.repoType() : hasCheckpoint ? "model" : "dataset";
    Path staged = ctx.dir().resolve("upload");
    if (type.equals("model")) {
      if (!hasCheckpoint) throw new BadInputException(source + " has no checkpoint/ to publish as a model");
      copyTree(source.resolve("checkpoint"), staged);
    } else {
      if (!Files.isDirectory(source.resolve("data"))) throw new BadInputException(source + " has no data/ to publish as a dataset");
      copyTree(source.resolve("data"), staged.resolve("data"));
      Files.copy(source.resolve(Manifest.FILE), staged.resolve("aha_manifest.json"));
    }
    HubClient hub = new HubClient(HubSettings.fromEnv());
    CommitInfo commit;
    try {
      commit = hub.upload(spec.repo(), type.equals("model") ? RepoType.MODEL : RepoType.DATASET, staged,
          spec.message() != null ? spec.message() : "aha: " + spec.from() + " stage", spec.revision(), spec.create());
    } catch (IOException e) {
      throw new WorkFailedException("upload of " + spec.from() + " to " + spec.repo() + " failed: " + e.getMessage());
    }
    ctx.summary("repo", spec.repo());
    ctx.summary("repo_type", type);
    ctx.summary("commit", commit.changed() ? commit.commitOid() : "unchanged");
    ctx.summary("files", commit.files());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }
}
