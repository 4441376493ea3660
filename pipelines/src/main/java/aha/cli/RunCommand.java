package aha.cli;

import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true, description = "(being written)")
final class RunCommand implements Runnable {
  @Override
  public void run() {}
}
