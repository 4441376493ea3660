package aha.cli;

import picocli.CommandLine.Command;

@Command(name = "inspect", mixinStandardHelpOptions = true, description = "(being written)")
final class InspectCommand implements Runnable {
  @Override
  public void run() {}
}
