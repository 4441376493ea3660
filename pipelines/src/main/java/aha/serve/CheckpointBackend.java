package aha.serve;

import ai.djl.ndarray.NDManager;
import aha.model.Checkpoint;
import aha.model.Completion;
import aha.model.Generator;
import aha.model.SamplingParams;
import aha.model.chat.ChatMessage;
import aha.teacher.ChatBackend;
import aha.teacher.ChatRequest;
import aha.teacher.LocalTeacher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Answers chat requests with a trained checkpoint: the conversation is rendered with the
 * checkpoint's own chat template, and the {@code n} samples are one batched generation. Requests
 * are served one at a time (the model is not shared between threads).
 */
public final class CheckpointBackend implements ChatBackend, AutoCloseable {
  private final NDManager manager;
  private final Checkpoint checkpoint;
  private final Generator generator;
  private final String name;
  private final int defaultMaxTokens;
  private long requests;

  public CheckpointBackend(Path dir, String name, int defaultMaxTokens) {
    this.manager = NDManager.newBaseManager();
    this.checkpoint = Checkpoint.load(dir, manager);
    this.generator = new Generator(checkpoint.model(), checkpoint.tokenizer(), checkpoint.eosTokenIds());
    this.name = name;
    this.defaultMaxTokens = defaultMaxTokens;
  }

  @Override
  public String model() {
    return name;
  }

  @Override
  public synchronized List<LocalTeacher.Completion> complete(ChatRequest request) {
    List<ChatMessage> messages = request.messages().stream().map(m -> new ChatMessage(m.role(), m.content())).toList();
    String prompt = checkpoint.chatTemplate().render(messages, true);
    double temperature = request.temperature() == null ? 1.0 : request.temperature();
    double topP = request.topP() == null ? 1.0 : request.topP();
    int maxTokens = request.maxTokens() == null ? defaultMaxTokens : request.maxTokens();
    // a seed field makes a request repeatable; without one, successive requests differ
    long seed = request.extra().get("seed") instanceof Number n ? n.longValue() : requests;
    requests++;
    SamplingParams params = temperature == 0 ? SamplingParams.greedy(maxTokens)
        : SamplingParams.sample(temperature, topP, maxTokens, seed);
    List<Completion> out = generator.generateText(Collections.nCopies(Math.max(1, request.n()), prompt), params);
    List<LocalTeacher.Completion> choices = new ArrayList<>();
    for (Completion c : out) {
      choices.add(new LocalTeacher.Completion(c.text(), "", c.finishReason().apiName(), c.tokenIds().length));
    }
    return choices;
  }

  @Override
  public void close() {
    checkpoint.close();
    manager.close();
  }
}
