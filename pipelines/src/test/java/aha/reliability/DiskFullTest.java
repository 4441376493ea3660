package aha.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import aha.stage.Manifest;
import aha.testing.InProcess;
import aha.testing.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output folder fills up mid-run: a 512 kB tmpfs where this machine lets the test mount one
 * (root on Linux, as in the CI container), else a folder the user cannot write to (the same code
 * path from the first write on; docs/reliability.md has the manual disk-full check for that case).
 * Either way the run ends with one sentence, exit code 1, and no manifest for the stage that
 * failed, while the stages finished before it keep theirs.
 */
@Tag("slow")
class DiskFullTest {
  static final String RECIPE = """
      name: full
      seed: 3
      stages:
        - type: prepare
          source: {generator: countdown, count: 1000, numbers: 3, max_number: 12, max_target: 60, style: short}
          eval_holdout: 10
        - type: generate
          teacher: {kind: local, verbosity: 2}
          num_generations: 8
          sampling: {temperature: 0.6, max_tokens: 1024}
      """;

  @Test
  void aFullOutputFolderEndsWithOneClearErrorAndNoManifestForTheFailedStage(@TempDir Path tmp) throws Exception {
    Path small = Files.createDirectories(tmp.resolve("small"));
    boolean tmpfs = run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", small.toString());
    try {
      if (!tmpfs) {
        assertThat(small.toFile().setWritable(false, false)).isTrue();
        // root without CAP_SYS_ADMIN can neither mount nor be refused by permissions: say so
        assertThat(refusesWrites(small))
            .as("this machine neither lets the test mount a tmpfs nor refuses writes to a read-only folder;"
                + " run it as root with mount rights or as a normal user (docs/reliability.md, manual check)")
            .isTrue();
      }
      Path recipe = Runs.writeRecipe(tmp, RECIPE);
      InProcess.Outcome o = InProcess.cli("run", recipe.toString(), "--output-dir", small.toString());
      assertThat(o.code()).as(o.err()).isEqualTo(1);
      List<String> errors = o.err().lines().filter(l -> l.startsWith("aha: ")).toList();
      assertThat(errors).as(o.err()).hasSize(1);
      assertThat(o.err()).doesNotContain("\tat ").doesNotContain("Exception");
      Path run = small.resolve("full");
      if (tmpfs) {
        assertThat(errors.get(0)).contains("the disk is full (No space left on device)")
            .contains("choose another --output-dir");
        // prepare fit and is complete; generate did not and left nothing that looks finished
        assertThat(run.resolve("01-prepare").resolve(Manifest.FILE)).isRegularFile();
        assertThat(run.resolve("02-generate")).doesNotExist();
        assertThat(run.resolve(".02-generate.tmp")).doesNotExist();
        try (Stream<Path> s = Files.walk(run)) {
          assertThat(s.filter(p -> p.getFileName().toString().equals(Manifest.FILE)).toList())
              .containsExactly(run.resolve("01-prepare").resolve(Manifest.FILE));
        }
      } else {
        assertThat(errors.get(0)).contains("cannot write " + small).contains("permission denied");
        assertThat(run).doesNotExist();
      }
    } finally {
      if (tmpfs) assertThat(unmount(small)).as("umount " + small + " (a file left open on it?)").isTrue();
      else small.toFile().setWritable(true, false);
    }
  }

  /**
   * A failed DirectRunner pipeline returns while its other workers are still closing their files,
   * so the mount can be busy for a moment; a file that stays open keeps it busy for good.
   */
  static boolean unmount(Path dir) throws Exception {
    for (int i = 0; i < 40; i++) {
      if (run("umount", dir.toString())) return true;
      Thread.sleep(250);
    }
    return false;
  }

  static boolean refusesWrites(Path dir) {
    try {
      Files.delete(Files.createFile(dir.resolve("probe")));
      return false;
    } catch (java.io.IOException e) {
      return true;
    }
  }

  static boolean run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
