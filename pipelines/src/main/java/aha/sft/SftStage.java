package aha.sft;

import aha.BadInputException;
import aha.FileTree;
import aha.dataset.ParquetFiles;
import aha.model.Checkpoint;
import aha.model.chat.ChatMessage;
import aha.model.chat.ChatTemplate;
import aha.recipe.RecipeLoader;
import aha.stage.Manifest;
import aha.stage.Stage;
import aha.stage.StageContext;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The SFT stage:
 *
 * <pre>
 * from/data/train-*.parquet (messages) -> chat template + labels on assistant tokens (ExampleEncoder)
 *   -> held-out split, optional packing -> SftTrainer (checkpoints in the state folder, resumable)
 *   -> checkpoint/ (Hugging Face folder) + metrics.jsonl (+ init/, the untrained start, for init: tiny)
 * </pre>
 *
 * Counters: {@code sft.conversations}, {@code sft.train_examples}, {@code sft.eval_examples},
 * {@code sft.truncated} (cut at max_length, so their EOS is lost), {@code sft.no_labels} (dropped:
 * no assistant token left), {@code sft.train_tokens}, {@code sft.label_tokens} (per epoch),
 * {@code sft.steps}, {@code sft.resumed_from_step}.
 */
public final class SftStage implements Stage<SftSpec> {

  @Override
  public void run(SftSpec spec, StageContext ctx) throws Exception {
    Path input = ctx.input(spec.from());
    List<Path> files = ParquetFiles.split(input.resolve("data"), "train");
    if (files.isEmpty()) throw new BadInputException(input.resolve("data") + " has no train-*.parquet to train on");
    List<List<ChatMessage>> conversations = Conversations.readSorted(files);
    if (conversations.isEmpty()) throw new BadInputException(input.resolve("data") + " has no training conversations");
    long seed = spec.seed() != null ? spec.seed() : ctx.seed();
    ctx.count("sft.conversations", conversations.size());

    Files.createDirectories(ctx.stateDir());
    try (NDManager manager = NDManager.newBaseManager();
        Checkpoint start = Students.open(spec.model(), conversations, spec.maxLength(), seed, ctx.stateDir(), manager)) {
      if (spec.model().init() != null) {
        // the exact untrained starting point (same weights, same tokenizer), so eval can score it
        // as the base model: {label: base, stage: sft, checkpoint: init}
        copyTree(ctx.stateDir().resolve("tiny-init"), ctx.dir().resolve("init"));
      }
      ChatTemplate template = start.chatTemplate();
      long endOfTurn = ExampleEncoder.endOfTurnToken(start.tokenizer(), template);
      Student student = new Student(start.model(), start.tokenizer(), template, start.eosTokenIds(), endOfTurn);
      ExampleEncoder encoder = new ExampleEncoder(start.tokenizer(), template, endOfTurn, spec.maxLength());

      Batches.Split split = Batches.holdOut(conversations.size(), spec.evalFraction(), spec.evalMaxExamples(), seed);
      List<Example> train = encode(encoder, conversations, split.train(), ctx, "train");
      List<Example> eval = encode(encoder, conversations, split.eval(), ctx, "eval");
      if (train.isEmpty()) {
        throw new BadInputException(ctx.counter("sft.truncated") > 0
            ? input + ": no assistant token is left within max_length " + spec.maxLength() + " (" + ctx.counter("sft.truncated")
                + " conversations were cut); raise max_length"
            : input + ": no conversation has an assistant turn to learn");
      }
      if (spec.packing()) train = Batches.pack(train, spec.maxLength());
      ctx.count("sft.train_examples", train.size());
      ctx.count("sft.eval_examples", eval.size());
      ctx.count("sft.train_tokens", train.stream().mapToLong(Example::length).sum());
      ctx.count("sft.label_tokens", train.stream().mapToLong(Example::labelCount).sum());

      String fingerprint = fingerprint(spec, seed, input, train.size());
      SftTrainer trainer = new SftTrainer(student, train, eval, spec, seed, ctx.stateDir(), fingerprint, System.err, null);
      SftTrainer.Result r = trainer.train();

      student.save(ctx.dir().resolve("checkpoint"));
      Files.copy(trainer.metricsFile(), ctx.dir().resolve("metrics.jsonl"), StandardCopyOption.REPLACE_EXISTING);
      ctx.count("sft.steps", r.totalSteps());
      ctx.count("sft.resumed_from_step", r.resumedFrom());
      ctx.summary("final_loss", r.lastLoss());
      if (r.lastEvalLoss() != null) ctx.summary("final_eval_loss", r.lastEvalLoss());
      ctx.summary("tokens_per_s", Math.round(r.tokensPerS()));
      ctx.summary("train_seconds", Math.round(r.trainSeconds() * 10) / 10.0);
      ctx.summary("parameters", start.model().parameters().values().stream().mapToLong(a -> a.getShape().size()).sum());
      ctx.summary("eos_token_id", endOfTurn);
      // the run is complete: resumable state (optimizer moments included) is no longer needed
      FileTree.delete(trainer.checkpoints().root());
      FileTree.delete(ctx.stateDir().resolve("tiny-init"));
    }
  }

  private static List<Example> encode(ExampleEncoder encoder, List<List<ChatMessage>> conversations, int[] indices,
      StageContext ctx, String split) {
    List<Example> out = new ArrayList<>();
    for (int i : indices) {
      Example e = encoder.encode(conversations.get(i));
      if (e.truncated()) ctx.count("sft.truncated", 1);
      if (e.labelCount() == 0) {
        ctx.count("sft.no_labels", 1);
        continue;
      }
      out.add(e);
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(t);
        else Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Identifies a run: the resolved spec, the seed, the input's config hash and the data size. */
  static String fingerprint(SftSpec spec, long seed, Path input, int trainExamples) throws IOException {
    var n = Manifest.read(input);
    String s = RecipeLoader.json().writeValueAsString(spec) + "|" + seed + "|"
        + (n == null ? input.toString() : n.path("config_hash").asText()) + "|" + trainExamples;
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
