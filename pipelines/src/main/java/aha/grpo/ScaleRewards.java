package aha.grpo;

import aha.BadInputException;
import java.util.Locale;

/** TRL's {@code scale_rewards}: what the centred reward is divided by. */
public enum ScaleRewards {
  /** The std of the completion's own group (GRPO; TRL's default, {@code true}). */
  GROUP,
  /** The std over the whole generation batch (PPO-Lite); centring is still per group. */
  BATCH,
  /** No division (Dr. GRPO; TRL's {@code false}). */
  NONE;

  /** Parses a recipe value: group, batch, none, or TRL's booleans true (group) / false (none). */
  public static ScaleRewards parse(String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "group":
      case "true":
        return GROUP;
      case "batch":
        return BATCH;
      case "none":
      case "false":
        return NONE;
      default:
        throw new BadInputException(
            "scale_rewards must be one of group, batch, none (or true/false), got '"
                + value
                + "'.");
    }
  }
}
