package aha.sft;

/**
 * One training row: token ids and which of them are targets of the loss.
 *
 * @param ids token ids, at most max_length
 * @param labels {@code labels[t]} is true when token t is an assistant token (its end-of-turn
 *     EOS included) that the model learns to predict from ids[0..t-1]
 * @param truncated whether the conversation was longer than max_length and cut
 */
public record Example(long[] ids, boolean[] labels, boolean truncated) {
  public int length() {
    return ids.length;
  }

  /** How many tokens the loss covers. */
  public int labelCount() {
    int n = 0;
    for (boolean b : labels) if (b) n++;
    return n;
  }
}
