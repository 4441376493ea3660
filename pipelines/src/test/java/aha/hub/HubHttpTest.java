package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class HubHttpTest {
  private static Response status429(String name, String value) {
    return new Response.Builder()
        .request(new Request.Builder().url("http://127.0.0.1:1/api/models/a/b").build())
        .protocol(Protocol.HTTP_1_1)
        .code(429)
        .message("Too Many Requests")
        .header(name, value)
        .build();
  }

  @Test
  void rateLimitWaitsFollowThePythonClient() {
    // RateLimit says the window resets in t seconds once r reaches 0: wait t + 1
    assertThat(HubHttp.rateLimitWait(status429("RateLimit", "\"api\";r=0;t=55"), 0))
        .isEqualTo(Duration.ofSeconds(56));
    // requests left in the window and no Retry-After: the exponential schedule (1, 2, 4, 8, 8 s)
    assertThat(HubHttp.rateLimitWait(status429("RateLimit", "\"api\";r=3;t=55"), 1))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(HubHttp.rateLimitWait(status429("Retry-After", "7"), 0))
        .isEqualTo(Duration.ofSeconds(8));
    // an HTTP date is not supported (as in Python): the exponential schedule applies
    assertThat(HubHttp.rateLimitWait(status429("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"), 2))
        .isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void theTokenRuleComparesSchemeHostAndPort() {
    HttpUrl hub = HttpUrl.get("https://huggingface.co/");
    assertThat(HubHttp.sameOrigin(HttpUrl.get("https://huggingface.co/api/x"), hub)).isTrue();
    assertThat(HubHttp.sameOrigin(HttpUrl.get("https://cdn-lfs.hf.co/x"), hub)).isFalse();
    assertThat(HubHttp.sameOrigin(HttpUrl.get("https://huggingface.co:8443/x"), hub)).isFalse();
    assertThat(HubHttp.sameOrigin(HttpUrl.get("http://huggingface.co/x"), hub)).isFalse();
  }

  @Test
  void paginationLinksAndUrlEncoding() {
    HttpUrl base = HttpUrl.get("http://127.0.0.1:9/api/models/a/b/tree/main?recursive=true");
    assertThat(
            HubHttp.nextLink(
                "<http://127.0.0.1:9/api/models/a/b/tree/main?cursor=abc>; rel=\"next\"", base))
        .isEqualTo("http://127.0.0.1:9/api/models/a/b/tree/main?cursor=abc");
    assertThat(HubHttp.nextLink("</api/models/a/b/tree/main?cursor=2>; rel=\"next\"", base))
        .isEqualTo("http://127.0.0.1:9/api/models/a/b/tree/main?cursor=2");
    assertThat(HubHttp.nextLink("<http://x/?p=1>; rel=\"prev\"", base)).isNull();
    assertThat(HubHttp.nextLink(null, base)).isNull();

    assertThat(FileDownloader.encodeSegment("refs/pr/1")).isEqualTo("refs%2Fpr%2F1");
    assertThat(FileDownloader.encodePath("data/my file+x.parquet"))
        .isEqualTo("data/my%20file%2Bx.parquet");
    assertThat(FileDownloader.normalizeEtag("W/\"abc\"")).isEqualTo("abc");
  }
}
