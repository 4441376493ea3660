package aha.sft;

import aha.BadInputException;
import aha.dataset.ParquetFiles;
import aha.model.chat.ChatMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** Reads the {@code messages} column (list of {role, content}) of SFT Parquet files. */
public final class Conversations {
  private Conversations() {}

  /**
   * The conversations of the files in a canonical order (by their text), so that training does not
   * depend on the order in which a Beam runner happened to write rows: the same data and seed give
   * the same model on any runner and any rerun.
   */
  public static List<List<ChatMessage>> readSorted(List<Path> files) {
    List<List<ChatMessage>> out = new ArrayList<>(read(files));
    out.sort(java.util.Comparator.comparing(Conversations::sortKey));
    return out;
  }

  private static String sortKey(List<ChatMessage> conversation) {
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : conversation) sb.append(m.role()).append('\u0000').append(m.content()).append('\u0001');
    return sb.toString();
  }

  public static List<List<ChatMessage>> read(List<Path> files) {
    List<List<ChatMessage>> out = new ArrayList<>();
    for (Path f : files) {
      if (ParquetFiles.schema(f).getField("messages") == null) {
        throw new BadInputException(f + " has no 'messages' column; sft reads the filter stage's train split"
            + " (list of {role, content})");
      }
      // checked after reading, so a bad row is reported as itself, not as an unreadable file
      List<GenericRecord> rows = ParquetFiles.readAll(List.of(f), r -> r);
      for (int i = 0; i < rows.size(); i++) out.add(messages(rows.get(i), f, i + 1));
    }
    return out;
  }

  private static List<ChatMessage> messages(GenericRecord r, Path file, long row) {
    Object v = r.get("messages");
    if (!(v instanceof List<?> list)) throw new BadInputException(file + ": row " + row + " has no messages");
    List<ChatMessage> msgs = new ArrayList<>();
    for (Object o : list) {
      GenericRecord m = (GenericRecord) o;
      // files written by pyarrow / HF datasets may wrap each list item as {element: {...}}
      if (m.getSchema().getField("role") == null && m.getSchema().getFields().size() == 1
          && m.get(0) instanceof GenericRecord inner) {
        m = inner;
      }
      if (m.getSchema().getField("role") == null || m.getSchema().getField("content") == null) {
        throw new BadInputException(file + ": row " + row + ": messages must be {role, content} structs");
      }
      Object role = m.get("role");
      Object content = m.get("content");
      if (role == null) throw new BadInputException(file + ": row " + row + " has a message without a role");
      String rl = role.toString();
      if (!rl.equals("system") && !rl.equals("user") && !rl.equals("assistant")) {
        throw new BadInputException(file + ": row " + row + " has role '" + rl + "'; expected system, user or assistant");
      }
      msgs.add(new ChatMessage(rl, content == null ? "" : content.toString()));
    }
    return msgs;
  }
}
