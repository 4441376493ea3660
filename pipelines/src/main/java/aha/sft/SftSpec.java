package aha.sft;

import aha.recipe.Checks;
import aha.recipe.StageSpec;
import java.util.List;

/**
 * The SFT stage: distil the {@code messages} of {@code from}'s train split into a student. Keys
 * follow TRL's SFTConfig / transformers' TrainingArguments; their defaults are the Hugging Face
 * ones unless noted, and the resolved values go into the manifest.
 *
 * @param from the stage whose {@code data/train-*.parquet} has a {@code messages} column (default
 *     {@code filter})
 * @param maxLength tokens per example; longer ones are cut (and counted) — default 1024
 * @param packing put several examples into one row of max_length tokens (attention is not
 *     separated between them, as in TRL's wrapped packing); default false
 * @param learningRate required: peak AdamW learning rate
 * @param lrSchedulerType linear (default), cosine, cosine_with_min_lr (with min_lr_rate) or
 *     constant_with_warmup
 * @param numTrainEpochs default 3; ignored when max_steps is set
 * @param maxSteps optimizer steps; overrides num_train_epochs
 * @param evalFraction share of conversations held out for the eval loss (default 0.05, at most
 *     eval_max_examples, default 256)
 * @param evalSteps eval loss every this many steps and at the end (default 50)
 * @param saveSteps resumable checkpoint every this many steps (default 500)
 * @param saveTotalLimit resumable checkpoints kept (default 2)
 * @param seed default: the recipe's seed
 */
public record SftSpec(
    String name,
    String from,
    StudentSpec model,
    Integer maxLength,
    Boolean packing,
    Double learningRate,
    Double weightDecay,
    Double adamBeta1,
    Double adamBeta2,
    Double adamEpsilon,
    String lrSchedulerType,
    Double minLrRate,
    Double warmupRatio,
    Double maxGradNorm,
    Integer gradientAccumulationSteps,
    Double numTrainEpochs,
    Integer maxSteps,
    Integer perDeviceTrainBatchSize,
    Double evalFraction,
    Integer evalMaxExamples,
    Integer evalSteps,
    Integer saveSteps,
    Integer saveTotalLimit,
    Long seed)
    implements StageSpec {

  public static final List<String> SCHEDULES = List.of("linear", "cosine", "cosine_with_min_lr", "constant_with_warmup");

  public SftSpec {
    from = from == null ? "filter" : from;
    maxLength = maxLength == null ? 1024 : maxLength;
    packing = packing == null ? Boolean.FALSE : packing;
    weightDecay = weightDecay == null ? 0.0 : weightDecay;
    adamBeta1 = adamBeta1 == null ? 0.9 : adamBeta1;
    adamBeta2 = adamBeta2 == null ? 0.999 : adamBeta2;
    adamEpsilon = adamEpsilon == null ? 1e-8 : adamEpsilon;
    lrSchedulerType = lrSchedulerType == null ? "linear" : lrSchedulerType;
    if ("cosine_with_min_lr".equals(lrSchedulerType) && minLrRate == null) minLrRate = 0.0;
    warmupRatio = warmupRatio == null ? 0.0 : warmupRatio;
    maxGradNorm = maxGradNorm == null ? 1.0 : maxGradNorm;
    gradientAccumulationSteps = gradientAccumulationSteps == null ? 1 : gradientAccumulationSteps;
    numTrainEpochs = numTrainEpochs == null ? 3.0 : numTrainEpochs;
    perDeviceTrainBatchSize = perDeviceTrainBatchSize == null ? 8 : perDeviceTrainBatchSize;
    evalFraction = evalFraction == null ? 0.05 : evalFraction;
    evalMaxExamples = evalMaxExamples == null ? 256 : evalMaxExamples;
    evalSteps = evalSteps == null ? 50 : evalSteps;
    saveSteps = saveSteps == null ? 500 : saveSteps;
    saveTotalLimit = saveTotalLimit == null ? 2 : saveTotalLimit;
  }

  @Override
  public String type() {
    return "sft";
  }

  @Override
  public List<String> inputs() {
    return List.of(from);
  }

  @Override
  public void validate(Checks c) {
    if (from.contains(".")) c.fail("from", "names a stage (its train split is read), got '" + from + "'");
    c.require(model, "model");
    if (model != null) model.validate(c.at("model"));
    c.range(maxLength, "max_length", 2, 1 << 20);
    c.require(learningRate, "learning_rate");
    c.positive(learningRate, "learning_rate");
    c.range(weightDecay, "weight_decay", 0, 10);
    c.range(adamBeta1, "adam_beta1", 0, 0.999999);
    c.range(adamBeta2, "adam_beta2", 0, 0.999999999);
    c.positive(adamEpsilon, "adam_epsilon");
    c.oneOf(lrSchedulerType, "lr_scheduler_type", SCHEDULES);
    c.range(minLrRate, "min_lr_rate", 0, 1);
    if (minLrRate != null && !"cosine_with_min_lr".equals(lrSchedulerType)) {
      c.fail("min_lr_rate", "applies only to lr_scheduler_type cosine_with_min_lr");
    }
    c.range(warmupRatio, "warmup_ratio", 0, 1);
    c.positive(maxGradNorm, "max_grad_norm");
    c.range(gradientAccumulationSteps, "gradient_accumulation_steps", 1, 1 << 16);
    c.positive(numTrainEpochs, "num_train_epochs");
    c.range(maxSteps, "max_steps", 1, Integer.MAX_VALUE);
    c.range(perDeviceTrainBatchSize, "per_device_train_batch_size", 1, 1 << 16);
    c.range(evalFraction, "eval_fraction", 0, 0.5);
    c.range(evalMaxExamples, "eval_max_examples", 0, Integer.MAX_VALUE);
    c.range(evalSteps, "eval_steps", 1, Integer.MAX_VALUE);
    c.range(saveSteps, "save_steps", 1, Integer.MAX_VALUE);
    c.range(saveTotalLimit, "save_total_limit", 1, 1000);
  }
}
