package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubSettingsTest {
  @TempDir Path tmp;

  @Test
  void followsThePythonLibrarysVariables() throws Exception {
    Path home = tmp.resolve("hf");
    Files.createDirectories(home);
    Files.writeString(home.resolve("token"), "  hf_fromFile\r\n");

    HubSettings fromHome = HubSettings.fromEnv(Map.of("HF_HOME", home.toString()));
    assertThat(fromHome.cacheDir()).isEqualTo(home.resolve("hub"));
    assertThat(fromHome.token()).isEqualTo("hf_fromFile");
    assertThat(fromHome.endpoint()).isEqualTo("https://huggingface.co");
    assertThat(fromHome.offline()).isFalse();
    assertThat(fromHome.etagTimeout()).isEqualTo(Duration.ofSeconds(10));

    HubSettings explicit =
        HubSettings.fromEnv(
            Map.of(
                "HF_HOME", home.toString(),
                "HF_HUB_CACHE", tmp.resolve("c").toString(),
                "HF_TOKEN", "hf_fromEnv",
                "HF_ENDPOINT", "http://127.0.0.1:9999/",
                "HF_HUB_OFFLINE", "yes",
                "HF_HUB_DOWNLOAD_TIMEOUT", "30"));
    assertThat(explicit.cacheDir()).isEqualTo(tmp.resolve("c"));
    assertThat(explicit.token()).isEqualTo("hf_fromEnv"); // the variable wins over the file
    assertThat(explicit.endpoint()).isEqualTo("http://127.0.0.1:9999");
    assertThat(explicit.offline()).isTrue();
    assertThat(explicit.downloadTimeout()).isEqualTo(Duration.ofSeconds(30));

    assertThat(HubSettings.fromEnv(Map.of("XDG_CACHE_HOME", tmp.toString())).cacheDir())
        .isEqualTo(tmp.resolve("huggingface/hub"));
    assertThat(
            HubSettings.fromEnv(
                    Map.of("HF_HOME", home.toString(), "HF_HUB_DISABLE_IMPLICIT_TOKEN", "1"))
                .token())
        .isNull();
    assertThat(
            HubSettings.fromEnv(Map.of("HF_HOME", home.toString(), "TRANSFORMERS_OFFLINE", "1"))
                .offline())
        .isTrue();
    assertThat(
            HubSettings.fromEnv(Map.of("HF_HOME", home.toString(), "HF_HUB_OFFLINE", "0"))
                .offline())
        .isFalse();
  }

  @Test
  void anEmptyTokenFileMeansNoToken() throws Exception {
    Files.writeString(tmp.resolve("token"), "\n");
    assertThat(HubSettings.fromEnv(Map.of("HF_HOME", tmp.toString())).hasToken()).isFalse();
    Files.writeString(tmp.resolve("elsewhere"), "hf_path");
    assertThat(
            HubSettings.fromEnv(
                    Map.of(
                        "HF_HOME",
                        tmp.toString(),
                        "HF_TOKEN_PATH",
                        tmp.resolve("elsewhere").toString()))
                .token())
        .isEqualTo("hf_path");
  }

  @Test
  void theTokenNeverAppearsInToString() {
    HubSettings s =
        HubSettings.fromEnv(Map.of("HF_HOME", tmp.toString(), "HF_TOKEN", "hf_secretValue123"));
    assertThat(s.toString()).doesNotContain("hf_secretValue123").contains("token=<set>");
  }

  @Test
  void badValuesAreOneClearSentence() {
    assertThatThrownBy(
            () ->
                HubSettings.fromEnv(
                    Map.of("HF_HOME", tmp.toString(), "HF_HUB_ETAG_TIMEOUT", "ten")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("HF_HUB_ETAG_TIMEOUT");
    assertThatThrownBy(
            () -> HubSettings.fromEnv(Map.of("HF_HOME", tmp.toString(), "HF_ENDPOINT", "ftp://x")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("ftp://x");
  }
}
