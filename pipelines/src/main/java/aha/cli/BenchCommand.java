package aha.cli;

import aha.bench.Benchmarks;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run the benchmarks and write them, with the machine they ran on, as markdown.",
    footer = {"", "Examples:", "  scripts/aha bench --output docs/benchmarks.md", "  scripts/aha bench --only prepare --output /tmp/b.md"})
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--output", paramLabel = "FILE", defaultValue = "docs/benchmarks.md", description = "default: ${DEFAULT-VALUE}")
  Path output;

  @Option(names = "--only", split = ",", paramLabel = "NAME", description = "run only these benchmarks")
  List<String> only = List.of();

  @Override
  public Integer call() throws Exception {
    for (String name : only) {
      if (!Benchmarks.ALL.containsKey(name)) {
        throw new aha.BadInputException("--only " + name + " is not a benchmark (known: " + Benchmarks.ALL.keySet() + ")");
      }
    }
    Benchmarks.write(output, only);
    return Main.EXIT_OK;
  }
}
