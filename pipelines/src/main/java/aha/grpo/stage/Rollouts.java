package aha.grpo.stage;

import aha.verify.Reflection;
import aha.dataset.Problem;
import aha.model.Checkpoint;
import aha.model.Completion;
import aha.model.Generator;
import aha.model.SamplingParams;
import aha.model.chat.ChatMessage;
import aha.model.chat.ChatTemplate;
import aha.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Samples groups from the current policy: for each problem, {@code num_generations} completions of
 * the same rendered prompt, kept together (rows {@code g*G .. g*G+G-1} belong to problem g), in one
 * batched KV-cache generation.
 */
final class Rollouts {
  private final GrpoSpec spec;
  private final Checkpoint policy;
  private final TextTokenizer tokenizer;
  private final ChatTemplate template;
  private final AnswerCheck answers;

  Rollouts(GrpoSpec spec, Checkpoint policy) {
    this.spec = spec;
    this.policy = policy;
    this.tokenizer = policy.tokenizer();
    this.template = policy.chatTemplate();
    this.answers = new AnswerCheck(spec.verifier());
  }

  /** The user message of a problem. */
  String userMessage(Problem p) {
    return spec.promptTemplate().replace("{problem}", p.problem());
  }

  /** The prompt tokens: chat template with the generation header, at most max_prompt_length. */
  long[] promptIds(String user) {
    List<ChatMessage> messages = new ArrayList<>();
    if (spec.systemPrompt() != null) messages.add(ChatMessage.system(spec.systemPrompt()));
    messages.add(ChatMessage.user(user));
    long[] ids = tokenizer.encode(template.render(messages, true));
    int max = spec.maxPromptLength();
    // TRL keeps the end of an over-long prompt: the generation header must stay
    return ids.length <= max ? ids : Arrays.copyOfRange(ids, ids.length - max, ids.length);
  }

  /** {@code problems.size() * G} rollouts, prompt-major, sampled with {@code seed}. */
  List<Rollout> sample(List<Problem> problems, long seed) {
    int g = spec.numGenerations();
    List<long[]> prompts = new ArrayList<>();
    List<String> users = new ArrayList<>();
    for (Problem p : problems) {
      String user = userMessage(p);
      long[] ids = promptIds(user);
      for (int j = 0; j < g; j++) {
        prompts.add(ids);
        users.add(user);
      }
    }
    SamplingParams params =
        SamplingParams.sample(spec.temperature(), spec.topP(), spec.maxCompletionLength(), seed);
    List<Completion> out =
        new Generator(policy.model(), tokenizer, policy.eosTokenIds()).generate(prompts, params);
    List<Rollout> rows = new ArrayList<>(out.size());
    for (int i = 0; i < out.size(); i++) {
      Problem p = problems.get(i / g);
      Completion c = out.get(i);
      String text = c.text() == null ? "" : c.text();
      rows.add(
          new Rollout(
              p,
              users.get(i),
              prompts.get(i),
              c.tokenIds(),
              text,
              c.finishReason() == Completion.FinishReason.LENGTH,
              answers.correct(p, text),
              Reflection.reflects(text)));
    }
    return rows;
  }
}
