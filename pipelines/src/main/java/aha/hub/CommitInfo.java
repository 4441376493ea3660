package aha.hub;

/**
 * Result of an upload.
 *
 * @param commitOid the new commit, or null when nothing changed and no commit was made
 * @param commitUrl the Hub page of the commit, or null
 * @param files how many files the commit added or changed
 */
public record CommitInfo(String commitOid, String commitUrl, int files) {
  public boolean changed() {
    return commitOid != null;
  }
}
