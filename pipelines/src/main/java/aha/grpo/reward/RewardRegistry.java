package aha.grpo.reward;

import aha.BadInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reward functions by the names a recipe's {@code reward_funcs} uses (open-r1's registry names).
 * {@link #select} turns {@code reward_funcs} and {@code reward_weights} into a {@link RewardFuncs}.
 */
public final class RewardRegistry {
  private final Map<String, GroupReward> byName = new LinkedHashMap<>();

  /**
   * The built-in functions: accuracy, format, tag_count, reasoning_steps, cosine,
   * repetition_penalty, soft_overlong_punishment, length.
   */
  public static RewardRegistry builtIn(RewardSettings settings) {
    RewardRegistry r = new RewardRegistry();
    r.register("accuracy", new AccuracyReward());
    r.register("format", new FormatReward());
    r.register("tag_count", new TagCountReward());
    r.register("reasoning_steps", new ReasoningStepsReward());
    r.register("cosine", new CosineLengthReward(settings));
    r.register("repetition_penalty", new RepetitionPenaltyReward(settings));
    r.register("soft_overlong_punishment", new SoftOverlongPunishment(settings));
    r.registerGroup("length", new LengthReward());
    return r;
  }

  /** Adds or replaces a per-completion function. */
  public RewardRegistry register(String name, Reward reward) {
    return registerGroup(name, GroupReward.of(reward));
  }

  /** Adds or replaces a function that sees a whole group. */
  public RewardRegistry registerGroup(String name, GroupReward reward) {
    byName.put(name, reward);
    return this;
  }

  public Set<String> names() {
    return byName.keySet();
  }

  /**
   * Resolves {@code reward_funcs} with their {@code reward_weights}.
   *
   * @param weights one weight per function, or null for all 1.0 (TRL's default)
   * @throws BadInputException for an unknown or repeated name, or a weight count that differs
   */
  public RewardFuncs select(List<String> names, List<Double> weights) {
    if (names == null || names.isEmpty()) {
      throw new BadInputException(
          "reward_funcs is empty; name at least one of: "
              + String.join(", ", byName.keySet())
              + ".");
    }
    if (weights != null && weights.size() != names.size()) {
      throw new BadInputException(
          "reward_weights has "
              + weights.size()
              + " values but reward_funcs has "
              + names.size()
              + "; give one weight per function.");
    }
    List<GroupReward> funcs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    double[] w = new double[names.size()];
    for (int k = 0; k < names.size(); k++) {
      String name = names.get(k);
      GroupReward f = byName.get(name);
      if (f == null) {
        throw new BadInputException(
            "Unknown reward function '"
                + name
                + "' in reward_funcs; valid names: "
                + String.join(", ", byName.keySet())
                + ".");
      }
      if (!seen.add(name)) {
        throw new BadInputException(
            "reward_funcs names '" + name + "' twice; name each function once.");
      }
      funcs.add(f);
      w[k] = weights == null ? 1.0 : weights.get(k);
      if (!Double.isFinite(w[k])) {
        throw new BadInputException(
            "reward_weights[" + k + "] must be a finite number, got " + weights.get(k) + ".");
      }
    }
    return new RewardFuncs(List.copyOf(names), funcs, w);
  }

  @Override
  public String toString() {
    return "RewardRegistry" + Arrays.toString(byName.keySet().toArray());
  }
}
