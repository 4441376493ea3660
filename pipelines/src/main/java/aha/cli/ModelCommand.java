package aha.cli;

import aha.BadInputException;
import aha.model.Checkpoint;
import aha.model.Completion;
import aha.model.Generator;
import aha.model.SamplingParams;
import aha.model.chat.ChatMessage;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha model score|generate}: the model layer from the command line. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Score sequences with a checkpoint or sample completions from it.",
    subcommands = {
      ModelCommand.Score.class,
      ModelCommand.Generate.class,
      ModelCommand.Init.class,
      ModelCommand.Tokenize.class
    },
    footer = {
      "",
      "Examples:",
      "  scripts/aha model score --checkpoint ckpt/ --input seqs.jsonl --output out.jsonl",
      "  scripts/aha model generate --checkpoint ckpt/ --chat --prompt 'What is 2+3?'",
      "  scripts/aha model init --output ckpt/ --seed 42",
      "  scripts/aha model tokenize --checkpoint ckpt/ --input texts.jsonl --output ids.jsonl"
    })
final class ModelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand.");
  }

  /** DESIGN contract 6. */
  @Command(
      name = "score",
      mixinStandardHelpOptions = true,
      description = {
        "Per-token log-probs of given token sequences: input lines {\"id\", \"input_ids\": [...]},",
        "output lines {\"id\", \"logprobs\": [...]} with logprobs[t] = log p(ids[t+1] | ids[0..t])."
      },
      footer = {
        "",
        "Example:",
        "  scripts/aha model score --checkpoint datasets/run/04-sft/checkpoint \\",
        "      --input seqs.jsonl --output logprobs.jsonl"
      })
  static final class Score implements Runnable {
    @Option(names = "--checkpoint", required = true, description = "Hugging Face model folder.")
    Path checkpoint;

    @Option(names = "--input", required = true, description = "JSONL of {\"id\", \"input_ids\"}.")
    Path input;

    @Option(names = "--output", required = true, description = "JSONL to write (replaced whole).")
    Path output;

    @Option(names = "--batch-size", defaultValue = "8", description = "Sequences per forward.")
    int batchSize;

    @Override
    public void run() {
      ObjectMapper json = new ObjectMapper();
      List<JsonNode> ids = new ArrayList<>();
      List<long[]> seqs = new ArrayList<>();
      readInput(json, ids, seqs);
      try (NDManager m = NDManager.newBaseManager();
          Checkpoint ckpt = Checkpoint.load(checkpoint, m)) {
        List<float[]> scores = ckpt.model().score(seqs, Math.max(1, batchSize));
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) {
          ObjectNode o = json.createObjectNode();
          o.set("id", ids.get(i));
          var a = o.putArray("logprobs");
          for (float f : scores.get(i)) a.add(f);
          out.add(o);
        }
        writeJsonl(json, output, out);
      }
    }

    private void readInput(ObjectMapper json, List<JsonNode> ids, List<long[]> seqs) {
      for (JsonlRow r : readJsonl(json, input)) {
        JsonNode row = r.row();
        JsonNode arr = row.get("input_ids");
        if (!row.has("id") || arr == null || !arr.isArray()) {
          throw new BadInputException(r.where() + ": expected keys 'id' and 'input_ids' (a list)");
        }
        long[] s = new long[arr.size()];
        for (int i = 0; i < s.length; i++) {
          if (!arr.get(i).isIntegralNumber()) {
            throw new BadInputException(r.where() + ": input_ids[" + i + "] is not an integer");
          }
          s[i] = arr.get(i).asLong();
        }
        ids.add(row.get("id"));
        seqs.add(s);
      }
    }
  }

  /** One parsed line of a JSONL input, with "file:line" for error messages. */
  record JsonlRow(String where, JsonNode row) {}

  /** The non-blank lines of {@code input} as JSON; a missing file or a bad line is bad input. */
  static List<JsonlRow> readJsonl(ObjectMapper json, Path input) {
    if (!Files.isRegularFile(input)) {
      throw new BadInputException("Input file " + input + " does not exist");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(input);
    } catch (IOException e) {
      throw new BadInputException("Cannot read " + input + ": " + e.getMessage(), e);
    }
    List<JsonlRow> rows = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      if (lines.get(n).isBlank()) continue;
      String where = input + ":" + (n + 1);
      try {
        rows.add(new JsonlRow(where, json.readTree(lines.get(n))));
      } catch (IOException e) {
        throw new BadInputException(where + " is not valid JSON", e);
      }
    }
    return rows;
  }

  /** Writes {@code rows} as JSONL under a temporary name, then renames it to {@code output}. */
  static void writeJsonl(ObjectMapper json, Path output, List<ObjectNode> rows) {
    Path tmp = output.resolveSibling("." + output.getFileName() + ".tmp");
    try {
      try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
        for (ObjectNode o : rows) {
          w.write(json.writeValueAsString(o));
          w.write('\n');
        }
      }
      Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new BadInputException("Cannot write " + output + ": " + e.getMessage(), e);
    }
  }

  /** Quick looks at what a checkpoint says. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description =
          "Sample completions of a prompt (as raw text, or as a user message with --chat).",
      footer = {
        "",
        "Example:",
        "  scripts/aha model generate --checkpoint ckpt/ --chat --prompt 'What is 2+3?' -n 4 \\",
        "      --temperature 0.7 --top-p 0.95 --max-new-tokens 128 --seed 1"
      })
  static final class Generate implements Runnable {
    @Option(names = "--checkpoint", required = true, description = "Hugging Face model folder.")
    Path checkpoint;

    @Option(names = "--prompt", required = true, description = "Prompt text.")
    String prompt;

    @Option(
        names = "--chat",
        description = "Wrap the prompt as a user turn with the chat template.")
    boolean chat;

    @Option(names = "--system", description = "System message (with --chat).")
    String system;

    @Option(names = "-n", defaultValue = "1", description = "Completions to sample.")
    int n;

    @Option(names = "--temperature", defaultValue = "0", description = "0 is greedy.")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1")
    double topP;

    @Option(names = "--top-k", defaultValue = "0")
    int topK;

    @Option(names = "--min-p", defaultValue = "0")
    double minP;

    @Option(names = "--max-new-tokens", defaultValue = "128")
    int maxNewTokens;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--stop", description = "A string that ends a completion (repeatable).")
    List<String> stop = new ArrayList<>();

    @Spec CommandSpec spec;

    @Override
    public void run() {
      try (NDManager m = NDManager.newBaseManager();
          Checkpoint ckpt = Checkpoint.load(checkpoint, m)) {
        if (ckpt.tokenizer() == null) {
          throw new BadInputException(checkpoint + " has no tokenizer.json to encode the prompt");
        }
        String text = prompt;
        if (chat) {
          List<ChatMessage> msgs = new ArrayList<>();
          if (system != null) msgs.add(ChatMessage.system(system));
          msgs.add(ChatMessage.user(prompt));
          text = ckpt.chatTemplate().render(msgs, true);
        }
        SamplingParams p =
            new SamplingParams(temperature, topP, topK, minP, maxNewTokens, seed, stop);
        Generator g = new Generator(ckpt.model(), ckpt.tokenizer(), ckpt.eosTokenIds());
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < Math.max(1, n); i++) prompts.add(text);
        PrintWriter out = spec.commandLine().getOut();
        int i = 0;
        for (Completion c : g.generateText(prompts, p)) {
          out.printf(
              "--- %d (%s, %d tokens)%n%s%n",
              i++, c.finishReason().apiName(), c.tokenIds().length, c.text());
        }
        out.flush();
      }
    }
  }

  /**
   * The ids (and, for conversations, the rendered text) aha feeds the model, so other tools can be
   * checked against them: transformers' tokenizer and chat template (scripts/transformers-load-check.py).
   */
  @Command(
      name = "tokenize",
      mixinStandardHelpOptions = true,
      description = {
        "Encode texts with a checkpoint's tokenizer: input lines {\"id\", \"text\"} or",
        "{\"id\", \"messages\": [{\"role\", \"content\"}], \"add_generation_prompt\": bool}",
        "(rendered with the chat template first); output lines {\"id\", \"text\", \"input_ids\"}."
      },
      footer = {
        "",
        "Example:",
        "  scripts/aha model tokenize --checkpoint ckpt/ --input texts.jsonl --output ids.jsonl"
      })
  static final class Tokenize implements Runnable {
    @Option(names = "--checkpoint", required = true, description = "Hugging Face model folder.")
    Path checkpoint;

    @Option(names = "--input", required = true, description = "JSONL of texts or conversations.")
    Path input;

    @Option(names = "--output", required = true, description = "JSONL to write (replaced whole).")
    Path output;

    @Override
    public void run() {
      ObjectMapper json = new ObjectMapper();
      List<JsonlRow> rows = readJsonl(json, input);
      // the tokenizer alone: no weights are needed to encode
      if (!Files.isRegularFile(checkpoint.resolve("tokenizer.json"))) {
        throw new BadInputException(checkpoint + " has no tokenizer.json");
      }
      try (var tok = aha.model.tokenizer.TextTokenizer.load(checkpoint)) {
        var template = aha.model.chat.ChatTemplates.forTokenizer(tok);
        List<ObjectNode> out = new ArrayList<>();
        for (JsonlRow r : rows) {
          JsonNode row = r.row();
          String text;
          if (row.path("text").isTextual()) {
            text = row.get("text").asText();
          } else if (row.path("messages").isArray()) {
            List<ChatMessage> msgs = new ArrayList<>();
            for (JsonNode m : row.get("messages")) {
              if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
                throw new BadInputException(r.where() + ": each message needs 'role' and 'content'");
              }
              msgs.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
            }
            text = template.render(msgs, row.path("add_generation_prompt").asBoolean(false));
          } else {
            throw new BadInputException(r.where() + ": expected key 'text' or 'messages'");
          }
          ObjectNode o = json.createObjectNode();
          o.set("id", row.get("id"));
          o.put("text", text);
          var a = o.putArray("input_ids");
          for (long id : tok.encode(text)) a.add(id);
          out.add(o);
        }
        writeJsonl(json, output, out);
      }
    }
  }

  /** A tiny random student with a character tokenizer, for recipes and quick checks. */
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description =
          "Write a randomly initialised tiny Qwen2- or Llama-style checkpoint with a character"
              + " tokenizer.",
      footer = {
        "",
        "Examples:",
        "  scripts/aha model init --output datasets/tiny/student --hidden 128 --layers 4 --seed 42",
        "  scripts/aha model init --output /tmp/llama --arch llama --untied --dtype BF16"
      })
  static final class Init implements Runnable {
    @Option(names = "--output", required = true, description = "Folder to write (replaced whole).")
    Path output;

    @Option(
        names = "--alphabet",
        description =
            "Characters of the vocabulary (default: digits,"
                + " arithmetic, letters, punctuation, space, newline).")
    String alphabet = aha.model.TinyStudent.DEFAULT_ALPHABET;

    @Option(names = "--hidden", defaultValue = "128")
    int hidden;

    @Option(names = "--layers", defaultValue = "4")
    int layers;

    @Option(names = "--heads", defaultValue = "4")
    int heads;

    @Option(names = "--kv-heads", defaultValue = "2")
    int kvHeads;

    @Option(names = "--ffn", defaultValue = "352")
    int ffn;

    @Option(names = "--max-positions", defaultValue = "1024")
    int maxPositions;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--stop", description = "A string that ends a completion (repeatable).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--dtype", defaultValue = "F32", description = "F32 or BF16.")
    aha.model.SafeTensors.Dtype dtype;

    @Option(
        names = "--arch",
        defaultValue = "qwen2",
        description = "qwen2 (q/k/v biases) or llama (no biases); default ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--untied", description = "Give the output head its own lm_head.weight.")
    boolean untied;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (hidden < 1 || layers < 1 || heads < 1 || kvHeads < 1 || ffn < 1 || maxPositions < 1) {
        throw new BadInputException("model sizes must be positive");
      }
      if (!arch.equals("qwen2") && !arch.equals("llama")) {
        throw new BadInputException("--arch is '" + arch + "'; expected qwen2 or llama");
      }
      var student =
          new aha.model.TinyStudent(
              alphabet, hidden, layers, heads, kvHeads, ffn, maxPositions, seed, arch, !untied);
      try {
        var c = student.write(output, dtype);
        spec.commandLine()
            .getOut()
            .printf(
                "wrote %s: %,d parameters, vocabulary %d%n",
                output, c.parameterCount(), c.vocabSize());
        spec.commandLine().getOut().flush();
      } catch (IOException e) {
        throw new BadInputException("Cannot write " + output + ": " + e.getMessage(), e);
      }
    }
  }
}
