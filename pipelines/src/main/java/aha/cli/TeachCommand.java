package aha.cli;

import aha.BadInputException;
import aha.teacher.LocalTeacher;
import aha.teacher.LocalTeacherServer;
import java.io.IOException;
import java.net.BindException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aha teach ...}: the local R1-style teacher. */
@Command(
    name = "teach",
    mixinStandardHelpOptions = true,
    description = "The local R1-style teacher (Countdown, arithmetic, linear equations).",
    subcommands = {TeachCommand.Serve.class},
    footer = {"", "Example:", "  scripts/aha teach serve --port 8000 --slip-rate 0.1 --seed 42"})
final class TeachCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command (serve).");
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = {
        "Serves the local teacher over the OpenAI chat-completions protocol:",
        "POST /v1/chat/completions, GET /v1/models, GET /health. Prints the base URL, then",
        "serves until killed. Any OpenAI-compatible client can use it (base URL ending in /v1)."
      },
      footer = {
        "",
        "Examples:",
        "  scripts/aha teach serve --port 8000",
        "  scripts/aha teach serve --port 0 --slip-rate 0.1 --seed 42 --verbosity 0",
        "  curl -s http://127.0.0.1:8000/v1/chat/completions -H 'Content-Type: application/json' \\",
        "    -d '{\"model\":\"aha-local-teacher\",\"messages\":[{\"role\":\"user\",\"content\":\"Use 3 8 6 to make 16.\"}]}'"
      })
  static final class Serve implements Callable<Integer> {
    @Option(
        names = "--host",
        description = "Address to bind (default: ${DEFAULT-VALUE}).",
        defaultValue = "127.0.0.1")
    String host;

    @Option(
        names = "--port",
        description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).",
        defaultValue = "8000")
    int port;

    @Option(
        names = "--slip-rate",
        description = "Probability of a slip per completion (default: ${DEFAULT-VALUE}).",
        defaultValue = "0.0")
    double slipRate;

    @Option(
        names = "--catch-rate",
        description = "Probability an arithmetic slip is caught (default: ${DEFAULT-VALUE}).",
        defaultValue = "0.5")
    double catchRate;

    @Option(
        names = "--seed",
        description = "Seed mixed into every completion (default: ${DEFAULT-VALUE}).",
        defaultValue = "42")
    long seed;

    @Option(
        names = "--verbosity",
        description =
            "0 direct steps, 1 R1-style attempts and checks, 2 more (default: ${DEFAULT-VALUE}).",
        defaultValue = "1")
    int verbosity;

    @Option(
        names = "--reasoning-content",
        description =
            "Send reasoning in reasoning_content (like DeepSeek's API) instead of a <think> block.")
    boolean reasoningContent;

    @Option(
        names = "--latency-ms",
        description = "Fixed latency before every answer (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    long latencyMs;

    @Option(
        names = "--max-running",
        description =
            "Requests worked on at once, the rest queue (like SGLang's --max-running-requests);"
                + " 0 for no limit (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    int maxRunning;

    @Option(
        names = "--fault-429",
        description = "Rate of 429 answers with Retry-After (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    double fault429;

    @Option(
        names = "--retry-after",
        description = "Retry-After seconds sent with injected 429s (default: ${DEFAULT-VALUE}).",
        defaultValue = "1")
    int retryAfter;

    @Option(
        names = "--fault-500",
        description = "Rate of 500 answers (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    double fault500;

    @Option(
        names = "--fault-drop",
        description = "Rate of dropped connections (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    double faultDrop;

    @Option(
        names = "--fault-malformed",
        description = "Rate of malformed JSON bodies (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    double faultMalformed;

    @Option(
        names = "--max-seconds",
        description =
            "Stop after this many seconds; 0 serves until killed (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    long maxSeconds;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      requireRate("--slip-rate", slipRate);
      requireRate("--catch-rate", catchRate);
      requireRate("--fault-429", fault429);
      requireRate("--fault-500", fault500);
      requireRate("--fault-drop", faultDrop);
      requireRate("--fault-malformed", faultMalformed);
      if (fault429 + fault500 + faultDrop + faultMalformed > 1) {
        throw new BadInputException("the --fault-* rates add up to more than 1.");
      }
      if (verbosity < 0 || verbosity > 2) {
        throw new BadInputException("--verbosity must be 0, 1 or 2, got " + verbosity + ".");
      }
      if (port < 0 || port > 65535)
        throw new BadInputException("--port must be in 0..65535, got " + port + ".");
      if (maxRunning < 0)
        throw new BadInputException("--max-running must be 0 (no limit) or more, got " + maxRunning + ".");
      LocalTeacher teacher =
          new LocalTeacher(
              new LocalTeacher.Options(slipRate, catchRate, seed, verbosity, reasoningContent));
      LocalTeacherServer.Faults faults =
          new LocalTeacherServer.Faults(
              fault429, retryAfter, fault500, faultDrop, faultMalformed, latencyMs, seed);
      LocalTeacherServer server;
      try {
        server = LocalTeacherServer.start(host, port, teacher, faults, maxRunning);
      } catch (BindException e) {
        throw new BadInputException(
            "cannot listen on "
                + host
                + ":"
                + port
                + " ("
                + e.getMessage()
                + "); pick another --port or 0.");
      } catch (IOException e) {
        throw new BadInputException(
            "cannot start the local teacher on " + host + ":" + port + ": " + e.getMessage() + ".");
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                server.close();
                stopped.countDown();
              },
              "teach-serve-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      spec.commandLine()
          .getOut()
          .println(
              "Local teacher ("
                  + LocalTeacher.MODEL
                  + ") serving at "
                  + server.baseUrl()
                  + " (slip rate "
                  + slipRate
                  + ", seed "
                  + seed
                  + "); Ctrl-C to stop.");
      spec.commandLine().getOut().flush();
      if (maxSeconds > 0) {
        stopped.await(maxSeconds, TimeUnit.SECONDS);
        server.close();
        Runtime.getRuntime().removeShutdownHook(hook);
      } else {
        stopped.await();
      }
      return Main.EXIT_OK;
    }

    private static void requireRate(String option, double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new BadInputException(
            option + " must be a probability in [0, 1], got " + value + ".");
      }
    }
  }
}
