package aha.grpo.stage;

import aha.grpo.reward.GroupReward;
import aha.grpo.reward.Reward;
import aha.grpo.reward.RewardRegistry;
import aha.grpo.reward.RewardSettings;
import aha.verify.FormatChecks;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The reward functions a grpo stage may name: open-r1's built-ins ({@link RewardRegistry#builtIn}),
 * {@code r1_format}, and functions registered from Java code with {@link #register} (as TRL accepts
 * Python callables in {@code reward_funcs}).
 *
 * <p>{@code r1_format} pays 1.0 for R1's own layout, {@code <think>\n...</think>} then a non-blank
 * answer, as {@link FormatChecks#r1Format} checks it. open-r1's {@code format} demands a newline
 * inside the answer tags ({@code <answer>\n...\n</answer>}), which neither R1 nor aha's teacher
 * writes, so on distilled students it pays nothing.
 */
public final class GrpoRewards {
  private static final Map<String, GroupReward> CUSTOM = new LinkedHashMap<>();

  private GrpoRewards() {}

  /** Adds a per-completion reward under {@code name}, for recipes run in this JVM. */
  public static synchronized void register(String name, Reward reward) {
    CUSTOM.put(name, GroupReward.of(reward));
  }

  /** Removes a function added with {@link #register}. */
  public static synchronized void unregister(String name) {
    CUSTOM.remove(name);
  }

  /** Every name a recipe may use. */
  public static Set<String> names() {
    return new LinkedHashSet<>(registry(RewardSettings.defaults()).names());
  }

  /** The registry with every function, parameterised by {@code settings}. */
  public static synchronized RewardRegistry registry(RewardSettings settings) {
    RewardRegistry r = RewardRegistry.builtIn(settings);
    r.register("r1_format", s -> FormatChecks.r1Format(s.completion()) ? 1.0 : 0.0);
    CUSTOM.forEach(r::registerGroup);
    return r;
  }
}
