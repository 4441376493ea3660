package aha.grpo.stage;

import aha.BadInputException;
import aha.grpo.LossType;
import aha.grpo.reward.RewardSettings;
import aha.recipe.Checks;
import aha.recipe.StageSpec;
import aha.recipe.Suggest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The grpo stage, with TRL / open-r1 key names. Result-changing keys are required ({@code
 * reward_funcs}, {@code reward_weights}, {@code loss_type}, {@code num_generations}, {@code
 * learning_rate}, {@code max_steps}); the rest default to TRL's values unless noted.
 *
 * @param from an earlier training stage whose {@code checkpoint/} is the starting policy
 * @param model the starting policy when there is no {@code from}
 * @param prompts the problems: {@code prepare} (its train split), or {@code stage.split} such as
 *     {@code filter.prompts}
 * @param promptTemplate the user message; {@code {problem}} is replaced by the problem text
 * @param perDeviceTrainBatchSize prompts per step (each gives {@code num_generations} completions)
 * @param microBatchSize completions per forward/backward pass; gradients accumulate over an
 *     optimizer step (memory only, the loss normalisation is the same)
 * @param lrSchedulerType constant (default), linear or cosine decay to 0 over max_steps, after
 *     {@code warmup_steps} of linear warm-up
 * @param dynamicSampling DAPO: drop groups with zero reward spread and sample more prompts, at most
 *     {@code max_num_gen_batches} batches per step
 * @param verifier countdown, math, or auto (by each problem's task)
 * @param logCompletions completions per step written to samples.jsonl
 */
public record GrpoSpec(
    String name,
    String from,
    ModelSource model,
    String prompts,
    String systemPrompt,
    String promptTemplate,
    Integer numGenerations,
    Integer perDeviceTrainBatchSize,
    Integer microBatchSize,
    Integer maxPromptLength,
    Integer maxCompletionLength,
    Double temperature,
    Double topP,
    List<String> rewardFuncs,
    List<Double> rewardWeights,
    Double cosineMinValueWrong,
    Double cosineMaxValueWrong,
    Double cosineMinValueCorrect,
    Double cosineMaxValueCorrect,
    Integer cosineMaxLen,
    Integer repetitionNGrams,
    Double repetitionMaxPenalty,
    Integer softPunishCache,
    Double learningRate,
    Double adamBeta1,
    Double adamBeta2,
    Double adamEpsilon,
    Double maxGradNorm,
    String lrSchedulerType,
    Integer warmupSteps,
    Double beta,
    Double epsilon,
    Double epsilonHigh,
    String lossType,
    String scaleRewards,
    Integer numIterations,
    Boolean maskTruncatedCompletions,
    Boolean dynamicSampling,
    Integer maxNumGenBatches,
    Integer maxSteps,
    Integer saveSteps,
    Long seed,
    String verifier,
    Integer logCompletions)
    implements StageSpec {

  public GrpoSpec {
    prompts = prompts == null ? "prepare" : prompts;
    promptTemplate = promptTemplate == null ? "{problem}" : promptTemplate;
    perDeviceTrainBatchSize = perDeviceTrainBatchSize == null ? 8 : perDeviceTrainBatchSize;
    microBatchSize = microBatchSize == null ? 64 : microBatchSize;
    maxPromptLength = maxPromptLength == null ? 512 : maxPromptLength;
    maxCompletionLength = maxCompletionLength == null ? 256 : maxCompletionLength;
    temperature = temperature == null ? 1.0 : temperature;
    topP = topP == null ? 1.0 : topP;
    RewardSettings d = RewardSettings.defaults();
    cosineMinValueWrong =
        cosineMinValueWrong == null ? d.cosineMinValueWrong() : cosineMinValueWrong;
    cosineMaxValueWrong =
        cosineMaxValueWrong == null ? d.cosineMaxValueWrong() : cosineMaxValueWrong;
    cosineMinValueCorrect =
        cosineMinValueCorrect == null ? d.cosineMinValueCorrect() : cosineMinValueCorrect;
    cosineMaxValueCorrect =
        cosineMaxValueCorrect == null ? d.cosineMaxValueCorrect() : cosineMaxValueCorrect;
    cosineMaxLen = cosineMaxLen == null ? d.cosineMaxLen() : cosineMaxLen;
    repetitionNGrams = repetitionNGrams == null ? d.repetitionNGrams() : repetitionNGrams;
    repetitionMaxPenalty =
        repetitionMaxPenalty == null ? d.repetitionMaxPenalty() : repetitionMaxPenalty;
    // DAPO's cache is a quarter of the budget (4096 of 16384); scaled to this stage's budget
    softPunishCache =
        softPunishCache == null ? Math.max(1, maxCompletionLength / 4) : softPunishCache;
    adamBeta1 = adamBeta1 == null ? 0.9 : adamBeta1;
    adamBeta2 = adamBeta2 == null ? 0.999 : adamBeta2;
    adamEpsilon = adamEpsilon == null ? 1e-8 : adamEpsilon;
    maxGradNorm = maxGradNorm == null ? 1.0 : maxGradNorm;
    lrSchedulerType = lrSchedulerType == null ? "constant" : lrSchedulerType;
    warmupSteps = warmupSteps == null ? 0 : warmupSteps;
    beta = beta == null ? 0.0 : beta;
    epsilon = epsilon == null ? 0.2 : epsilon;
    scaleRewards = scaleRewards == null ? "group" : scaleRewards;
    numIterations = numIterations == null ? 1 : numIterations;
    maskTruncatedCompletions = maskTruncatedCompletions == null ? false : maskTruncatedCompletions;
    dynamicSampling = dynamicSampling == null ? false : dynamicSampling;
    maxNumGenBatches = maxNumGenBatches == null ? 3 : maxNumGenBatches;
    saveSteps = saveSteps == null ? 50 : saveSteps;
    verifier = verifier == null ? "auto" : verifier;
    logCompletions = logCompletions == null ? 4 : logCompletions;
    rewardFuncs = rewardFuncs == null ? null : List.copyOf(rewardFuncs);
    rewardWeights = rewardWeights == null ? null : List.copyOf(rewardWeights);
  }

  @Override
  public String type() {
    return "grpo";
  }

  @Override
  public List<String> inputs() {
    List<String> in = new ArrayList<>();
    if (from != null) in.add(from);
    in.add(prompts);
    return in;
  }

  /** The split of {@code prompts} to read. */
  public String promptSplit() {
    return prompts.contains(".") ? prompts.substring(prompts.indexOf('.') + 1) : "train";
  }

  /** The reward-function parameters, with DAPO's overlong window at max_completion_length. */
  public RewardSettings rewardSettings() {
    return new RewardSettings(
        cosineMinValueWrong,
        cosineMaxValueWrong,
        cosineMinValueCorrect,
        cosineMaxValueCorrect,
        cosineMaxLen,
        repetitionNGrams,
        repetitionMaxPenalty,
        maxCompletionLength,
        softPunishCache);
  }

  @Override
  public void validate(Checks c) {
    if ((from == null) == (model == null)) {
      c.fail(
          from == null ? "model" : "from",
          "give either from (an earlier training stage) or model, not "
              + (from == null ? "neither" : "both"));
    }
    if (model != null) model.validate(c.at("model"));
    if (!promptTemplate.contains("{problem}")) c.fail("prompt_template", "must contain {problem}");
    c.require(numGenerations, "num_generations");
    c.range(numGenerations, "num_generations", 2, 1024);
    c.range(perDeviceTrainBatchSize, "per_device_train_batch_size", 1, 1 << 16);
    c.range(microBatchSize, "micro_batch_size", 1, 1 << 16);
    c.range(maxPromptLength, "max_prompt_length", 1, 1 << 20);
    c.range(maxCompletionLength, "max_completion_length", 1, 1 << 20);
    c.positive(temperature, "temperature");
    if (topP <= 0 || topP > 1) c.fail("top_p", "must lie in (0, 1], got " + topP);
    validateRewards(c);
    c.require(learningRate, "learning_rate");
    c.positive(learningRate, "learning_rate");
    c.range(adamBeta1, "adam_beta1", 0, 0.999999);
    c.range(adamBeta2, "adam_beta2", 0, 0.999999);
    c.positive(adamEpsilon, "adam_epsilon");
    c.positive(maxGradNorm, "max_grad_norm");
    c.oneOf(lrSchedulerType, "lr_scheduler_type", List.of("constant", "linear", "cosine"));
    c.range(warmupSteps, "warmup_steps", 0, Integer.MAX_VALUE);
    c.range(beta, "beta", 0, 1e6);
    if (epsilon <= 0 || epsilon >= 1) c.fail("epsilon", "must lie in (0, 1), got " + epsilon);
    c.positive(epsilonHigh, "epsilon_high");
    c.require(lossType, "loss_type");
    c.oneOf(lossType, "loss_type", Arrays.stream(LossType.values()).map(LossType::key).toList());
    c.oneOf(scaleRewards, "scale_rewards", List.of("group", "batch", "none"));
    c.range(numIterations, "num_iterations", 1, 64);
    c.range(maxNumGenBatches, "max_num_gen_batches", 1, 1000);
    c.require(maxSteps, "max_steps");
    c.range(maxSteps, "max_steps", 1, Integer.MAX_VALUE);
    c.range(saveSteps, "save_steps", 1, Integer.MAX_VALUE);
    c.oneOf(verifier, "verifier", List.of("auto", "countdown", "math"));
    c.range(logCompletions, "log_completions", 0, 1 << 16);
  }

  private void validateRewards(Checks c) {
    c.require(rewardFuncs, "reward_funcs");
    c.require(rewardWeights, "reward_weights");
    Set<String> known = GrpoRewards.names();
    if (rewardFuncs != null) {
      if (rewardFuncs.isEmpty()) c.fail("reward_funcs", "must name at least one of " + known);
      for (int i = 0; i < rewardFuncs.size(); i++) {
        String f = rewardFuncs.get(i);
        if (f == null || !known.contains(f)) {
          String hint =
              f == null
                  ? ""
                  : Suggest.nearest(f, known).map(s -> "; did you mean '" + s + "'?").orElse("");
          c.at("reward_funcs")
              .fail(
                  "[" + i + "]",
                  "'" + f + "' is not a reward function" + hint + " (known: " + known + ")");
        } else if (rewardFuncs.indexOf(f) != i) {
          c.at("reward_funcs").fail("[" + i + "]", "names '" + f + "' twice");
        }
      }
    }
    if (rewardFuncs != null
        && rewardWeights != null
        && rewardWeights.size() != rewardFuncs.size()) {
      c.fail(
          "reward_weights",
          "has "
              + rewardWeights.size()
              + " values but reward_funcs has "
              + rewardFuncs.size()
              + "; give one weight per function");
    }
    if (rewardWeights != null) {
      for (int i = 0; i < rewardWeights.size(); i++) {
        Double w = rewardWeights.get(i);
        if (w == null || !Double.isFinite(w))
          c.at("reward_weights").fail("[" + i + "]", "must be a finite number");
      }
    }
    try {
      rewardSettings();
    } catch (BadInputException e) {
      c.fail("", e.getMessage());
    }
  }
}
