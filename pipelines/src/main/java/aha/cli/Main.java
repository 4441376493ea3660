package aha.cli;

import aha.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code scripts/aha}: exit 0 on success, 2 on bad input, 1 when the work fails. */
@Command(
    name = "aha",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    description = "The DeepSeek-R1 recipe end to end: prepare, generate, filter, sft, grpo, eval, report.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      InspectCommand.class,
      BenchCommand.class,
      TeachCommand.class,
      VerifyCommand.class,
      HubCommand.class,
      ModelCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  scripts/aha run recipes/countdown-tiny.yaml",
      "  scripts/aha validate recipes/countdown-tiny.yaml",
      "  scripts/aha inspect datasets/countdown-tiny/01-prepare"
    })
public final class Main implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command.");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code; the tests call this instead of {@link #main}. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof BadInputException) {
            cmd.getErr().println("aha: " + e.getMessage());
            return EXIT_BAD_INPUT;
          }
          // a Hub transfer that failed after its retries is one sentence too, not a stack trace
          if (e instanceof aha.WorkFailedException || e instanceof aha.hub.HubTransferException) {
            cmd.getErr().println("aha: " + e.getMessage());
            return EXIT_FAILED;
          }
          var write = WriteFailure.of(e);
          if (write.isPresent()) {
            cmd.getErr().println("aha: " + write.get());
            return EXIT_FAILED;
          }
          cmd.getErr().println("aha: " + e.getClass().getSimpleName() + ": " + e.getMessage());
          e.printStackTrace(cmd.getErr());
          return EXIT_FAILED;
        });
    cli.setParameterExceptionHandler(
        (e, parsedArgs) -> {
          CommandLine cmd = e.getCommandLine();
          cmd.getErr().println("aha: " + e.getMessage());
          cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
          return EXIT_BAD_INPUT;
        });
    return cli.execute(args);
  }
}
