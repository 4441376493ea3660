package aha.cli;

import picocli.CommandLine.IVersionProvider;

/** Version strings for {@code --version} and for manifests. */
public final class Versions implements IVersionProvider {
  public static final String AHA = "0.1.0";

  @Override
  public String[] getVersion() {
    return new String[] {
      "aha " + AHA,
      "java " + System.getProperty("java.version"),
      "beam " + org.apache.beam.sdk.util.ReleaseInfo.getReleaseInfo().getVersion()
    };
  }
}
