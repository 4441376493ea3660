package aha.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.model.chat.ChatMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationsTest {
  @Test
  void readsTheMessagesColumnInOrder(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("train-00000-of-00001.parquet");
    List<List<ChatMessage>> convs = List.of(SftFixtures.conversation(new String[] {"1+2", "3"}),
        List.of(ChatMessage.user("hi"), ChatMessage.assistant("")));
    SftFixtures.writeTrain(f, convs);
    assertThat(Conversations.read(List.of(f))).isEqualTo(convs);
  }

  @Test
  void trainingOrderDoesNotDependOnTheOrderRowsWereWritten(@TempDir Path tmp) throws Exception {
    List<List<ChatMessage>> a = List.of(SftFixtures.conversation(new String[] {"1+2", "3"}),
        SftFixtures.conversation(new String[] {"2+2", "4"}), SftFixtures.conversation(new String[] {"0+1", "1"}));
    List<List<ChatMessage>> b = List.of(a.get(2), a.get(0), a.get(1));
    SftFixtures.writeTrain(tmp.resolve("a.parquet"), a);
    SftFixtures.writeTrain(tmp.resolve("b.parquet"), b);
    List<List<ChatMessage>> sorted = Conversations.readSorted(List.of(tmp.resolve("a.parquet")));
    assertThat(Conversations.readSorted(List.of(tmp.resolve("b.parquet")))).isEqualTo(sorted);
    assertThat(sorted).containsExactlyInAnyOrderElementsOf(a).isNotEqualTo(a);
  }

  @Test
  void anUnknownRoleNamesTheFileAndRow(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("train-00000-of-00001.parquet");
    SftFixtures.writeTrain(f, List.of(List.of(ChatMessage.user("a")), List.of(new ChatMessage("tool", "x"))));
    assertThatThrownBy(() -> Conversations.read(List.of(f)))
        .isInstanceOf(BadInputException.class)
        .hasMessage(f + ": row 2 has role 'tool'; expected system, user or assistant");
  }
}
