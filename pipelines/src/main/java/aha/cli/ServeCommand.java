package aha.cli;

import aha.serve.CheckpointBackend;
import aha.teacher.LocalTeacherServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a checkpoint on the OpenAI chat-completions protocol (/v1/chat/completions, /v1/models),",
      "so a trained student can be the teacher of the next round (teacher: {kind: openai, base_url: ...})."
    },
    footer = {"", "Example:", "  scripts/aha serve --checkpoint datasets/countdown-tiny/05-grpo/checkpoint --port 8001"})
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "a Hugging Face model folder")
  Path checkpoint;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "default: ${DEFAULT-VALUE}")
  String host;

  @Option(names = "--port", defaultValue = "8001", description = "0 picks a free port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--model-name", description = "the id under /v1/models (default: the folder's name)")
  String modelName;

  @Option(names = "--max-tokens", defaultValue = "512", description = "when a request sets none (default: ${DEFAULT-VALUE})")
  int maxTokens;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(checkpoint.resolve("config.json"))) {
      throw new aha.BadInputException(checkpoint + " is not a checkpoint folder (no config.json)");
    }
    String name = modelName != null ? modelName : checkpoint.toAbsolutePath().normalize().getFileName().toString();
    try (CheckpointBackend backend = new CheckpointBackend(checkpoint, name, maxTokens);
        LocalTeacherServer server = LocalTeacherServer.start(host, port, backend, LocalTeacherServer.Faults.NONE)) {
      System.out.println("serving " + checkpoint + " as '" + name + "' at " + server.baseUrl());
      System.out.flush();
      new CountDownLatch(1).await(); // until the process is stopped
    }
    return Main.EXIT_OK;
  }
}
