package aha.filter;

import aha.dataset.Completion;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A row of the filter's {@code rejected} split: the completion's columns as the generate stage
 * wrote them, then {@code reason} (a {@link Reason} label) and {@code reason_detail}.
 */
public record RejectedRow(Completion completion, Reason reason, String detail) implements Serializable {
  public RejectedRow {
    detail = detail == null ? "" : detail;
  }

  public static final Schema SCHEMA = schema();

  private static Schema schema() {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : Completion.SCHEMA.getFields()) fields.add(new Schema.Field(f, f.schema()));
    fields.add(new Schema.Field("reason", Schema.create(Schema.Type.STRING)));
    fields.add(new Schema.Field("reason_detail", Schema.create(Schema.Type.STRING)));
    return Schema.createRecord("RejectedCompletion", null, "aha", false, fields);
  }

  public GenericRecord toAvro() {
    GenericRecord c = completion.toAvro();
    GenericRecord r = new GenericData.Record(SCHEMA);
    for (Schema.Field f : Completion.SCHEMA.getFields()) r.put(f.name(), c.get(f.name()));
    r.put("reason", reason.label());
    r.put("reason_detail", detail);
    return r;
  }

  public static RejectedRow fromAvro(GenericRecord r) {
    return new RejectedRow(Completion.fromAvro(r), Reason.ofLabel(r.get("reason").toString()), String.valueOf(r.get("reason_detail")));
  }
}
