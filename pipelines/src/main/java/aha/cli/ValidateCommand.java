package aha.cli;

import picocli.CommandLine.Command;

@Command(name = "validate", mixinStandardHelpOptions = true, description = "(being written)")
final class ValidateCommand implements Runnable {
  @Override
  public void run() {}
}
