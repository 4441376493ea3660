package aha.sft;

import aha.WorkFailedException;
import aha.model.CausalLM;
import aha.model.Scalars;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The SFT loop: masked next-token loss on assistant tokens, AdamW, a learning-rate schedule,
 * gradient clipping and accumulation, an eval loss, resumable checkpoints and a NaN guard. {@link
 * #train} reads top to bottom like nanoGPT's loop; the pieces it calls are small and pure.
 */
public final class SftTrainer {
  /** Called after every optimizer step with the row written to metrics.jsonl. */
  public interface Observer {
    void onStep(int step, ObjectNode metrics) throws Exception;
  }

  /** What a finished run reports. */
  public record Result(int totalSteps, int resumedFrom, double lastLoss, Double lastEvalLoss, double tokensPerS,
      long tokensSeen, double trainSeconds) {}

  private final Student student;
  private final List<Example> train;
  private final List<Example> eval;
  private final SftSpec spec;
  private final long seed;
  private final TrainCheckpoints checkpoints;
  private final Path metricsFile;
  private final PrintStream progress;
  private final Observer observer;

  /**
   * @param stateDir survives failed attempts: checkpoints/ and metrics.jsonl live there
   * @param fingerprint identifies the run (config, seed, data); checkpoints of another are not resumed
   * @param progress where the progress line goes (null: silent)
   */
  public SftTrainer(Student student, List<Example> train, List<Example> eval, SftSpec spec, long seed, Path stateDir,
      String fingerprint, PrintStream progress, Observer observer) {
    this.student = student;
    this.train = train;
    this.eval = eval;
    this.spec = spec;
    this.seed = seed;
    this.checkpoints = new TrainCheckpoints(stateDir.resolve("checkpoints"), fingerprint, spec.saveTotalLimit());
    this.metricsFile = stateDir.resolve("metrics.jsonl");
    this.progress = progress;
    this.observer = observer;
  }

  public Path metricsFile() {
    return metricsFile;
  }

  public TrainCheckpoints checkpoints() {
    return checkpoints;
  }

  /** Optimizer steps of the run: max_steps, or num_train_epochs over the train examples. */
  public int totalSteps() {
    int perEpoch = stepsPerEpoch();
    return spec.maxSteps() != null ? spec.maxSteps() : Math.max(1, (int) Math.ceil(spec.numTrainEpochs() * perEpoch));
  }

  int stepsPerEpoch() {
    int batches = Batches.perEpoch(train.size(), spec.perDeviceTrainBatchSize());
    return (batches + spec.gradientAccumulationSteps() - 1) / spec.gradientAccumulationSteps();
  }

  public Result train() throws Exception {
    CausalLM model = student.model();
    Map<String, NDArray> params = model.parameters();
    params.values().forEach(p -> p.setRequiresGradient(true));
    int[] lengths = train.stream().mapToInt(Example::length).toArray();
    int accum = spec.gradientAccumulationSteps();
    int perEpoch = stepsPerEpoch();
    int total = totalSteps();
    LrSchedule schedule = LrSchedule.of(spec.lrSchedulerType(), spec.learningRate(), spec.warmupRatio(), total,
        spec.minLrRate());
    AdamW optimizer = new AdamW(params, model.manager(), spec.adamBeta1(), spec.adamBeta2(), spec.adamEpsilon(),
        spec.weightDecay());

    // resume: weights, optimizer moments and the step (which fixes the data position)
    int start = 0;
    TrainCheckpoints.Saved last = checkpoints.latest(progress);
    if (last != null) {
      checkpoints.restore(last, params, optimizer);
      start = last.step();
      say("resuming from " + last.dir() + " (step " + start + " of " + total + ")");
    }
    Path lastGood = last == null ? null : last.dir();

    double lastLoss = Double.NaN;
    Double lastEval = null;
    long tokensSeen = 0;
    double trainSeconds = 0;
    Progress bar = new Progress(start, total);
    List<int[]> batches = null;
    int batchesEpoch = -1;
    try (MetricsLog log = MetricsLog.open(metricsFile, start)) {
      for (int step = start + 1; step <= total; step++) {
        long t0 = System.nanoTime();
        // 1. this step's micro-batches: a pure function of (seed, step), so a resumed run sees the same data
        int epoch = (step - 1) / perEpoch;
        int first = ((step - 1) % perEpoch) * accum;
        if (epoch != batchesEpoch) {
          batches = Batches.epoch(lengths, spec.perDeviceTrainBatchSize(), seed, epoch);
          batchesEpoch = epoch;
        }
        List<Batch> micro = batches.subList(first, Math.min(batches.size(), first + accum)).stream()
            .map(idx -> Batch.of(train, idx)).toList();
        long targets = micro.stream().mapToLong(Batch::targetCount).sum();
        long tokens = micro.stream().mapToLong(Batch::tokens).sum();

        // 2. forward + backward; each micro-batch's summed NLL is divided by the step's target
        //    count, so the accumulated gradient is that of the mean over all the step's tokens
        double loss = 0;
        for (Batch b : micro) loss += backward(model, b, Math.max(1, targets));

        // 3. guard, clip, update, zero
        double gradNorm = gradNorm(params);
        if (!Double.isFinite(loss) || !Double.isFinite(gradNorm)) {
          throw new WorkFailedException(String.format(
              "sft: the loss or gradient became %s at step %d (loss %s, grad_norm %s); the weights were not updated. %s;"
                  + " lower learning_rate or max_grad_norm and rerun",
              Double.isNaN(loss) || Double.isNaN(gradNorm) ? "NaN" : "infinite", step, loss, gradNorm,
              lastGood == null ? "No checkpoint was saved yet" : "The last good checkpoint is " + lastGood
                  + " (a rerun resumes from it)"));
        }
        double lr = schedule.lr(step);
        optimizer.step(params, lr, Math.min(1.0, spec.maxGradNorm() / (gradNorm + 1e-6)));
        zeroGradients(params);
        double seconds = (System.nanoTime() - t0) / 1e9;
        trainSeconds += seconds;
        tokensSeen += tokens;

        // 4. eval, log, checkpoint
        ObjectNode row = MetricsLog.JSON.createObjectNode();
        row.put("step", step);
        row.put("epoch", round((double) step / perEpoch, 4));
        row.put("loss", loss);
        row.put("lr", lr);
        row.put("grad_norm", gradNorm);
        row.put("tokens_per_s", round(tokens / seconds, 1));
        if (!eval.isEmpty() && (step % spec.evalSteps() == 0 || step == total)) {
          lastEval = evalLoss(model);
          row.put("eval_loss", lastEval);
        }
        log.write(row);
        lastLoss = loss;
        if (step % spec.saveSteps() == 0 && step < total) {
          lastGood = checkpoints.save(step, epoch, first + micro.size(), seed, student, optimizer);
        }
        bar.update(step, loss, lr, tokensSeen / Math.max(trainSeconds, 1e-9));
        if (observer != null) observer.onStep(step, row);
      }
    }
    bar.done();
    return new Result(total, start, lastLoss, lastEval, tokensSeen / Math.max(trainSeconds, 1e-9), tokensSeen,
        trainSeconds);
  }

  /** Masked NLL of one micro-batch, summed and divided by {@code denominator}; gradients accumulate. */
  static double backward(CausalLM model, Batch b, long denominator) {
    NDManager m = model.manager();
    try (NDScope scope = new NDScope();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      Shape shape = new Shape(b.rows(), b.width());
      NDArray lp = model.tokenLogProbs(m.create(b.ids(), shape), m.create(b.mask(), shape)); // (rows, width-1)
      NDArray w = m.create(b.targets(), new Shape(b.rows(), b.width() - 1));
      NDArray nll = lp.mul(w).sum().neg();
      NDArray loss = nll.div(Scalars.of(nll, denominator));
      gc.backward(loss);
      return loss.getFloat();
    }
  }

  /** Mean NLL per labelled token over the held-out examples, no gradients. */
  double evalLoss(CausalLM model) {
    int[] order = IntStream.range(0, eval.size()).boxed()
        .sorted(Comparator.comparingInt(i -> eval.get(i).length())).mapToInt(Integer::intValue).toArray();
    double sum = 0;
    long count = 0;
    int bs = spec.perDeviceTrainBatchSize();
    NDManager m = model.manager();
    for (int s = 0; s < order.length; s += bs) {
      Batch b = Batch.of(eval, Arrays.copyOfRange(order, s, Math.min(order.length, s + bs)));
      try (NDScope scope = new NDScope()) {
        Shape shape = new Shape(b.rows(), b.width());
        NDArray lp = model.tokenLogProbs(m.create(b.ids(), shape), m.create(b.mask(), shape));
        sum -= lp.mul(m.create(b.targets(), new Shape(b.rows(), b.width() - 1))).sum().getFloat();
      }
      count += b.targetCount();
    }
    return sum / Math.max(1, count);
  }

  /** Global L2 norm of all gradients (what clip_grad_norm_ reports). */
  static double gradNorm(Map<String, NDArray> params) {
    try (NDScope scope = new NDScope()) {
      NDArray total = null;
      for (NDArray p : params.values()) {
        NDArray s = p.getGradient().square().sum();
        total = total == null ? s : total.add(s);
      }
      return Math.sqrt(total.getFloat());
    }
  }

  /** PyTorch accumulates gradients: zero them in place after each update. */
  static void zeroGradients(Map<String, NDArray> params) {
    try (NDScope scope = new NDScope()) {
      for (NDArray p : params.values()) {
        NDArray g = p.getGradient();
        g.muli(0);
      }
    }
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  private void say(String s) {
    if (progress != null) progress.println("  sft: " + s);
  }

  /** A progress line every few seconds: bar, step, loss, lr, rate and ETA. */
  private final class Progress {
    private final int start;
    private final int total;
    private final long began = System.nanoTime();
    private long lastPrint = System.nanoTime();

    Progress(int start, int total) {
      this.start = start;
      this.total = total;
    }

    void update(int step, double loss, double lr, double tokensPerS) {
      long now = System.nanoTime();
      if (progress == null || (now - lastPrint < 10_000_000_000L && step < total)) return;
      lastPrint = now;
      double elapsed = (now - began) / 1e9;
      double perStep = elapsed / Math.max(1, step - start);
      int width = 30;
      int filled = (int) ((long) width * step / total);
      progress.printf("  sft: [%s%s] step %d/%d (%.0f%%), loss %.4f, lr %.2e, %.0f tok/s, %.2f steps/s, ETA %.0f s%n",
          "#".repeat(filled), ".".repeat(width - filled), step, total, 100.0 * step / total, loss, lr, tokensPerS,
          1 / perStep, perStep * (total - step));
    }

    void done() {
      say(String.format("%d steps in %.1f s", total - start, (System.nanoTime() - began) / 1e9));
    }
  }
}
