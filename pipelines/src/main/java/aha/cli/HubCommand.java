package aha.cli;

import aha.hub.CommitInfo;
import aha.hub.HubClient;
import aha.hub.HubSettings;
import aha.hub.RepoType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aha hub download|upload}: the Hugging Face Hub with the Python library's cache and
 * variables.
 */
@Command(
    name = "hub",
    mixinStandardHelpOptions = true,
    description = {
      "Download from and upload to the Hugging Face Hub.",
      "Uses HF_ENDPOINT, HF_TOKEN (or $HF_HOME/token), HF_HOME, HF_HUB_CACHE and HF_HUB_OFFLINE like huggingface_hub;",
      "tokens are read only from the environment, never from arguments."
    },
    subcommands = {HubCommand.Download.class, HubCommand.Upload.class},
    footer = {
      "",
      "Examples:",
      "  scripts/aha hub download Qwen/Qwen2.5-0.5B-Instruct --include '*.json' --include '*.safetensors'",
      "  scripts/aha hub upload me/countdown-r1 datasets/countdown-tiny/03-filter --repo-type dataset --create"
    })
final class HubCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing a hub command: download or upload.");
  }

  @Command(
      name = "download",
      mixinStandardHelpOptions = true,
      description = {
        "Download a repository (or the named files) into the standard Hugging Face cache and print the",
        "snapshot folder (snapshots/<commit>), which transformers and datasets then find offline."
      },
      footer = {
        "",
        "Examples:",
        "  scripts/aha hub download Qwen/Qwen2.5-0.5B-Instruct",
        "  scripts/aha hub download HuggingFaceH4/MATH-500 --repo-type dataset --include 'test*'",
        "  scripts/aha hub download gpt2 config.json tokenizer.json --revision main --cache-dir /tmp/hf"
      })
  static final class Download implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REPO_ID", description = "org/name of the repository.")
    String repoId;

    @Parameters(
        index = "1..*",
        paramLabel = "PATH",
        description = "Files to download (default: the whole repository).")
    List<String> paths = new ArrayList<>();

    @Option(
        names = "--repo-type",
        paramLabel = "TYPE",
        description = "model (default), dataset or space.")
    String repoType = "model";

    @Option(
        names = "--revision",
        paramLabel = "R",
        description = "Branch, tag or commit (default: main).")
    String revision = "main";

    @Option(
        names = "--cache-dir",
        paramLabel = "DIR",
        description = "Cache folder (default: HF_HUB_CACHE, else $HF_HOME/hub).")
    Path cacheDir;

    @Option(
        names = "--endpoint",
        paramLabel = "URL",
        description = "Hub URL (default: HF_ENDPOINT, else https://huggingface.co).")
    String endpoint;

    @Option(
        names = "--include",
        paramLabel = "GLOB",
        description = "Only paths matching this glob (repeatable).")
    List<String> include = new ArrayList<>();

    @Option(
        names = "--exclude",
        paramLabel = "GLOB",
        description = "Skip paths matching this glob (repeatable).")
    List<String> exclude = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if (!paths.isEmpty() && (!include.isEmpty() || !exclude.isEmpty())) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--include/--exclude select files of a whole-repository download: name PATHs or give patterns, not both.");
      }
      HubClient hub = new HubClient(settings(endpoint, cacheDir));
      RepoType type = RepoType.parse(repoType);
      Path result;
      if (paths.isEmpty()) {
        result = hub.snapshot(repoId, type, revision, include, exclude);
      } else {
        Path first = null;
        for (String p : paths) {
          Path file = hub.download(repoId, type, revision, p);
          if (first == null) {
            first = snapshotRoot(file, p);
          }
        }
        result = first;
      }
      spec.commandLine().getOut().println(result);
      spec.commandLine().getOut().flush();
      return Main.EXIT_OK;
    }

    /** {@code snapshots/<commit>} from {@code snapshots/<commit>/<path>}. */
    private static Path snapshotRoot(Path file, String pathInRepo) {
      Path root = file;
      for (int i = 0; i < pathInRepo.split("/").length; i++) {
        root = root.getParent();
      }
      return root;
    }
  }

  @Command(
      name = "upload",
      mixinStandardHelpOptions = true,
      description = {
        "Push every file of FOLDER as one commit (LFS for large files), adding a generated README.md card",
        "(with the configs/data_files of each split for datasets) when the folder has none.",
        "Needs HF_TOKEN (or $HF_HOME/token) with write access."
      },
      footer = {
        "",
        "Examples:",
        "  scripts/aha hub upload me/countdown-r1 datasets/countdown-tiny/03-filter --repo-type dataset --create",
        "  scripts/aha hub upload me/qwen-r1-grpo datasets/qwen/05-grpo/checkpoint --create -m 'GRPO step 500'"
      })
  static final class Upload implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REPO_ID", description = "org/name of the repository.")
    String repoId;

    @Parameters(index = "1", paramLabel = "FOLDER", description = "Folder to push.")
    Path folder;

    @Option(
        names = "--repo-type",
        paramLabel = "TYPE",
        description = "model (default), dataset or space.")
    String repoType = "model";

    @Option(
        names = "--revision",
        paramLabel = "R",
        description = "Branch to commit to (default: main).")
    String revision = "main";

    @Option(
        names = "--endpoint",
        paramLabel = "URL",
        description = "Hub URL (default: HF_ENDPOINT, else https://huggingface.co).")
    String endpoint;

    @Option(
        names = "--create",
        description =
            "Create the repository first if it does not exist (default visibility of the namespace).")
    boolean create;

    @Option(
        names = {"-m", "--message"},
        paramLabel = "TEXT",
        description = "Commit message (default: 'Upload with aha').")
    String message = "Upload with aha";

    @Override
    public Integer call() throws Exception {
      HubClient hub = new HubClient(settings(endpoint, null));
      CommitInfo info =
          hub.upload(repoId, RepoType.parse(repoType), folder, message, revision, create);
      spec.commandLine()
          .getOut()
          .println(
              info.changed()
                  ? info.commitUrl() != null ? info.commitUrl() : info.commitOid()
                  : "No changes: nothing committed.");
      spec.commandLine().getOut().flush();
      return Main.EXIT_OK;
    }
  }

  static HubSettings settings(String endpoint, Path cacheDir) {
    HubSettings s = HubSettings.fromEnv();
    if (endpoint != null) {
      s = s.withEndpoint(endpoint);
    }
    if (cacheDir != null) {
      s = s.withCacheDir(cacheDir);
    }
    return s;
  }
}
