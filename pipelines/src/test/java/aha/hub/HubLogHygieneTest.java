package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With every request logged at DEBUG, the token shows as {@code <TOKEN>} and nowhere in clear. */
class HubLogHygieneTest {
  @TempDir Path tmp;
  FakeHub hub;
  StringWriter log = new StringWriter();
  WriterAppender appender;

  @BeforeEach
  void start() throws Exception {
    hub = new FakeHub();
    HubTestSupport.seedModel(hub);
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    appender =
        WriterAppender.newBuilder()
            .setName("hub-test")
            .setTarget(log)
            .setLayout(PatternLayout.newBuilder().withPattern("%c{1} %m%n").build())
            .build();
    appender.start();
    config.addAppender(appender);
    LoggerConfig hubLogger = new LoggerConfig("aha.hub", Level.DEBUG, false);
    hubLogger.addAppender(appender, Level.DEBUG, null);
    config.addLogger("aha.hub", hubLogger);
    ctx.updateLoggers();
  }

  @AfterEach
  void stop() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().removeLogger("aha.hub");
    ctx.updateLoggers();
    appender.stop();
    hub.close();
  }

  @Test
  void requestsAreLoggedWithTheTokenMasked() throws Exception {
    HubClient client =
        HubTestSupport.client(
            HubTestSupport.settings(hub, tmp.resolve("c"), FakeHub.TOKEN), HubTestSupport.waits());
    client.snapshot(HubTestSupport.MODEL, RepoType.MODEL, "main", List.of());
    assertThatThrownBy(() -> client.snapshot("org/missing", RepoType.MODEL, "main", List.of()))
        .hasMessageNotContaining(FakeHub.TOKEN);
    hub.rateLimitNext.set(1);
    client.listFiles(HubTestSupport.MODEL, RepoType.MODEL, "main");

    String text = log.toString();
    assertThat(text)
        .contains("HEAD " + hub.endpoint() + "/org/tiny/resolve/")
        .contains("(authorization: <TOKEN>)");
    assertThat(text)
        .contains("GET " + hub.cdnBase() + "/blobs/") // logged without authorization,
        .contains("?<signed>"); // and without the signature of the pre-signed URL
    assertThat(text).doesNotContain("X-Amz-Signature");
    assertThat(text).contains("Hub busy (HTTP 429)");
    assertThat(text).doesNotContain(FakeHub.TOKEN);
    assertThat(client.settings().toString()).doesNotContain(FakeHub.TOKEN);
  }
}
