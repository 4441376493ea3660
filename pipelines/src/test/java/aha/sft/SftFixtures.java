package aha.sft;

import aha.dataset.ParquetFiles;
import aha.model.CausalLM;
import aha.model.Checkpoint;
import aha.model.SafeTensors;
import aha.model.TinyStudent;
import aha.model.chat.ChatMessage;
import aha.recipe.RecipeLoader;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** A learnable toy SFT set and small students for the sft tests. */
final class SftFixtures {
  private SftFixtures() {}

  static final List<String[]> PAIRS = List.of(
      new String[] {"1+2", "3"}, new String[] {"4+4", "8"}, new String[] {"2+5", "7"}, new String[] {"3+3", "6"});

  static List<ChatMessage> conversation(String[] pair) {
    return List.of(ChatMessage.system("Solve."), ChatMessage.user(pair[0]),
        ChatMessage.assistant("<think>\n" + pair[0] + "=" + pair[1] + "\n</think>\n<answer>" + pair[1] + "</answer>"));
  }

  /** {@code copies} copies of each toy conversation, interleaved. */
  static List<List<ChatMessage>> conversations(int copies) {
    List<List<ChatMessage>> out = new ArrayList<>();
    for (int c = 0; c < copies; c++) for (String[] p : PAIRS) out.add(conversation(p));
    return out;
  }

  static final Schema MESSAGE = SchemaBuilder.record("Message").namespace("aha").fields()
      .requiredString("role").requiredString("content").endRecord();
  static final Schema ROW = SchemaBuilder.record("SftExample").namespace("aha").fields()
      .requiredString("problem_id")
      .name("messages").type().array().items(MESSAGE).noDefault()
      .endRecord();

  /** Writes the filter stage's layout: {@code messages} as list<struct<role, content>>. */
  static void writeTrain(Path file, List<List<ChatMessage>> conversations) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    for (int i = 0; i < conversations.size(); i++) {
      GenericRecord r = new GenericData.Record(ROW);
      r.put("problem_id", "p" + i);
      r.put("messages", conversations.get(i).stream().map(m -> {
        GenericRecord g = new GenericData.Record(MESSAGE);
        g.put("role", m.role());
        g.put("content", m.content());
        return (Object) g;
      }).toList());
      rows.add(r);
    }
    ParquetFiles.write(file, ROW, rows);
  }

  /** A spec from JSON with snake_case keys, as a recipe would give it. */
  static SftSpec spec(String jsonFields) throws IOException {
    return RecipeLoader.json().readValue("{\"type\": \"sft\", " + jsonFields + "}", SftSpec.class);
  }

  /** A small student (d=32, 2 layers) written to {@code dir} and loaded. */
  static Checkpoint tiny(Path dir, List<List<ChatMessage>> conversations, long seed, NDManager m) throws IOException {
    new TinyStudent(Students.alphabet(conversations), 32, 2, 4, 2, 64, 128, seed).write(dir, SafeTensors.Dtype.F32);
    return Checkpoint.load(dir, m);
  }

  static Student student(Checkpoint c) {
    long eot = ExampleEncoder.endOfTurnToken(c.tokenizer(), c.chatTemplate());
    return new Student(c.model(), c.tokenizer(), c.chatTemplate(), c.eosTokenIds(), eot);
  }

  static List<Example> encode(Student s, List<List<ChatMessage>> conversations, int maxLength) {
    ExampleEncoder enc = new ExampleEncoder(s.tokenizer(), s.template(), s.endOfTurn(), maxLength);
    return conversations.stream().map(enc::encode).toList();
  }

  static boolean sameWeights(CausalLM a, CausalLM b) {
    for (var e : a.parameters().entrySet()) {
      float[] x = e.getValue().toFloatArray();
      float[] y = b.parameters().get(e.getKey()).toFloatArray();
      if (!java.util.Arrays.equals(x, y)) return false;
    }
    return true;
  }
}
