package aha.grpo.stage;

import aha.BadInputException;
import aha.dataset.Problem;
import aha.grpo.Advantages;
import aha.grpo.ScaleRewards;
import aha.grpo.reward.RewardFuncs;
import aha.grpo.reward.RewardTable;
import aha.grpo.reward.Sample;
import aha.model.Checkpoint;
import aha.model.SafeTensors;
import aha.recipe.RecipeLoader;
import aha.stage.Stage;
import aha.stage.StageContext;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GRPO stage: one visible loop in the driver. Per step:
 *
 * <pre>
 * prompts (seeded order) -> G completions each from the policy (Generator, KV cache)
 *   -> verdicts and rewards per function -> [DAPO: keep groups with reward spread, refill]
 *   -> group-relative advantages -> num_iterations x (loss over micro-batches, clipped Adam step)
 *   -> metrics.jsonl, samples.jsonl -> every save_steps a snapshot for resume
 * </pre>
 *
 * The finished policy is written to {@code checkpoint/}. A rerun after a crash continues from the
 * newest snapshot in the stage's state folder with the same prompts, seeds and optimizer state.
 */
public final class GrpoStage implements Stage<GrpoSpec> {

  @Override
  public void run(GrpoSpec spec, StageContext ctx) throws Exception {
    long seed = spec.seed() != null ? spec.seed() : ctx.seed();
    Path start =
        spec.from() != null
            ? ctx.input(spec.from()).resolve("checkpoint")
            : spec.model().resolve(ctx.stateDir(), seed);
    if (!Files.isRegularFile(start.resolve("config.json"))) {
      throw new BadInputException(
          start + " is not a model folder (no config.json) to start GRPO from");
    }
    PromptSet prompts = PromptSet.read(ctx.input(spec.prompts()), spec.promptSplit(), seed);
    RewardFuncs funcs =
        GrpoRewards.registry(spec.rewardSettings())
            .select(spec.rewardFuncs(), spec.rewardWeights());
    String fingerprint = fingerprint(spec, seed, start, ctx);
    Snapshots snapshots = new Snapshots(ctx.stateDir().resolve("checkpoints"), fingerprint);
    Snapshots.Saved resume = snapshots.latest();
    List<String> logFiles = List.of(StepLog.METRICS, StepLog.SAMPLES);

    try (NDManager manager = NDManager.newBaseManager();
        Checkpoint policy = Checkpoint.load(resume != null ? resume.model() : start, manager);
        Checkpoint reference = spec.beta() > 0 ? Checkpoint.load(start, manager) : null) {
      if (policy.tokenizer() == null) {
        throw new BadInputException(
            start + " has no tokenizer.json; GRPO needs one to write prompts");
      }
      Map<String, NDArray> params = policy.model().parameters();
      params.values().forEach(p -> p.setRequiresGradient(true));
      Adam adam =
          new Adam(
              params,
              spec.adamBeta1(),
              spec.adamBeta2(),
              spec.adamEpsilon(),
              spec.maxGradNorm(),
              policy.model().manager());
      int done = 0;
      long drawn = 0;
      if (resume != null) {
        adam.load(resume.dir().resolve("optimizer.safetensors"), resume.adamSteps());
        Snapshots.restoreFiles(resume, ctx.dir(), logFiles);
        done = resume.step();
        drawn = resume.promptsDrawn();
        ctx.summary("resumed_from_step", done);
        System.err.printf("  grpo: resuming after step %d from %s%n", done, resume.dir());
      }
      Rollouts rollouts = new Rollouts(spec, policy);
      PolicyUpdate update =
          new PolicyUpdate(
              spec, policy.model(), reference == null ? null : reference.model(), adam);
      int g = spec.numGenerations();
      long began = System.nanoTime();
      Map<String, Double> last = Map.of();
      try (StepLog log = new StepLog(ctx.dir())) {
        for (int step = done + 1; step <= spec.maxSteps(); step++) {
          long t0 = System.nanoTime();
          // rollouts; with dynamic sampling, groups without reward spread are dropped and more
          // prompts sampled, at most max_num_gen_batches batches
          List<Rollout> all = new ArrayList<>();
          List<Double[]> allRewards = new ArrayList<>();
          List<Rollout> kept = new ArrayList<>();
          List<Double> keptTotals = new ArrayList<>();
          int batches = 0;
          int wanted = spec.perDeviceTrainBatchSize();
          do {
            List<Problem> batch = prompts.take(drawn, wanted);
            drawn += wanted;
            List<Rollout> rows = rollouts.sample(batch, sampleSeed(seed, step, batches++));
            RewardTable table = funcs.score(samples(rows), g);
            double[] totals = table.totals();
            for (int i = 0; i < rows.size(); i++) {
              Double[] r = new Double[funcs.names().size()];
              for (int k = 0; k < r.length; k++) r[k] = table.value(i, k);
              allRewards.add(r);
            }
            all.addAll(rows);
            int[] groups =
                spec.dynamicSampling()
                    ? Advantages.groupsWithSpread(totals, g)
                    : java.util.stream.IntStream.range(0, batch.size()).toArray();
            for (int grp : groups) {
              if (kept.size() / g >= spec.perDeviceTrainBatchSize()) break;
              for (int i = grp * g; i < (grp + 1) * g; i++) {
                kept.add(rows.get(i));
                keptTotals.add(totals[i]);
              }
            }
          } while (spec.dynamicSampling()
              && kept.size() / g < spec.perDeviceTrainBatchSize()
              && batches < spec.maxNumGenBatches());
          double genSeconds = (System.nanoTime() - t0) / 1e9;

          RewardTable allTable =
              new RewardTable(funcs.names(), funcs.weights(), allRewards.toArray(new Double[0][]));
          Map<String, Double> m = new LinkedHashMap<>();
          m.putAll(StepLog.rolloutMetrics(all, allTable, g, spec.scaleRewards()));
          double lr = learningRate(spec, step);
          double[] totals = keptTotals.stream().mapToDouble(Double::doubleValue).toArray();
          if (!kept.isEmpty()) {
            Advantages adv = Advantages.compute(totals, g, ScaleRewards.parse(spec.scaleRewards()));
            Map<String, Double> u = update.update(kept, adv.values(), lr);
            m.putAll(u);
            m.put("clip_ratio_region_mean", u.get("clip_ratio/region_mean"));
            if (!Double.isFinite(u.get("grad_norm")))
              ctx.count("grpo.nonfinite_updates", spec.numIterations());
          } else {
            ctx.count("grpo.steps_without_update", 1);
          }
          m.put("lr", lr);
          m.put("sampling/groups_sampled", (double) all.size() / g);
          m.put("sampling/groups_kept", (double) kept.size() / g);
          m.put("step_time", (System.nanoTime() - t0) / 1e9);
          m.put("generation_time", genSeconds);
          log.metrics(step, m);
          log.samples(step, all, allTable.totals(), g, spec.logCompletions());
          last = m;
          ctx.count("grpo.steps", 1);
          ctx.count("grpo.completions", all.size());
          System.err.printf(
              "  grpo: step %d/%d reward %.3f accuracy %.3f length %.1f (%.1f s)%n",
              step,
              spec.maxSteps(),
              m.get("reward"),
              m.get("accuracy"),
              m.get("completion_length"),
              m.get("step_time"));
          if (step % spec.saveSteps() == 0 && step < spec.maxSteps()) {
            snapshots.save(
                step,
                drawn,
                policy,
                adam,
                List.of(ctx.dir().resolve(StepLog.METRICS), ctx.dir().resolve(StepLog.SAMPLES)));
          }
        }
      }
      int ran = spec.maxSteps() - done;
      if (ran > 0)
        ctx.summary(
            "seconds_per_step",
            Math.round((System.nanoTime() - began) / 1e9 / ran * 1000) / 1000.0);
      for (String k : List.of("reward", "accuracy", "completion_length", "reflection_rate")) {
        Double v = last.get(k);
        if (v != null && Double.isFinite(v)) ctx.summary("final_" + k, v);
      }
      Checkpoint.save(
          ctx.dir().resolve("checkpoint"),
          policy.model(),
          policy.tokenizer(),
          policy.chatTemplate(),
          policy.eosTokenIds(),
          SafeTensors.Dtype.F32);
    }
  }

  /**
   * What a snapshot must match to be resumed: the stage config, the seed, the starting model (its
   * folder and weights' modification time) and the config hashes of the input stages, so a rerun
   * with --force after an input changed starts over instead of resuming stale weights.
   */
  private static String fingerprint(GrpoSpec spec, long seed, Path start, StageContext ctx)
      throws java.io.IOException {
    StringBuilder sb =
        new StringBuilder(
            RecipeLoader.json().writeValueAsString(RecipeLoader.json().valueToTree(spec)));
    sb.append('|').append(seed).append('|').append(start);
    Path weights = start.resolve("model.safetensors");
    if (Files.exists(weights)) sb.append('|').append(Files.getLastModifiedTime(weights).toMillis());
    for (String input : spec.inputs()) {
      com.fasterxml.jackson.databind.JsonNode m = aha.stage.Manifest.read(ctx.input(input));
      sb.append('|').append(m == null ? "" : m.path("config_hash").asText());
    }
    return sb.toString();
  }

  /** A distinct sampling seed per step and refill batch; the generator adds the row index. */
  static long sampleSeed(long seed, int step, int batch) {
    return seed * 0x9E3779B97F4A7C15L + step * 1_000_003L + batch * 10_007L;
  }

  /** {@code lr_scheduler_type} after {@code warmup_steps} of linear warm-up; step is 1-based. */
  static double learningRate(GrpoSpec spec, int step) {
    double base = spec.learningRate();
    int warm = spec.warmupSteps();
    if (step <= warm) return base * step / (warm + 1.0);
    double progress = (double) (step - 1 - warm) / Math.max(1, spec.maxSteps() - warm);
    switch (spec.lrSchedulerType()) {
      case "linear":
        return base * (1 - progress);
      case "cosine":
        return base * 0.5 * (1 + Math.cos(Math.PI * progress));
      default:
        return base;
    }
  }

  private static List<Sample> samples(List<Rollout> rows) {
    List<Sample> out = new ArrayList<>(rows.size());
    for (Rollout r : rows) {
      out.add(
          new Sample(
              r.problem().problem(),
              r.problem().answer(),
              r.completion(),
              r.completionIds().length,
              r.truncated(),
              r.correct()));
    }
    return out;
  }
}
