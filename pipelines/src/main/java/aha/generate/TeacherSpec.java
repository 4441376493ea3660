package aha.generate;

import aha.recipe.Checks;
import java.io.Serializable;
import java.util.List;

/**
 * Who answers: {@code kind: local} (aha's R1-style teacher, started by the stage on 127.0.0.1) or
 * {@code kind: openai} (any OpenAI-compatible server: DeepSeek's API, vLLM, SGLang, {@code aha
 * serve}). The API key is never in the recipe: {@code api_key_env} names the environment variable.
 *
 * @param nPerRequest ask for all samples of a problem in one request with {@code n} (vLLM, SGLang,
 *     the local teacher); false sends {@code num_generations} requests with {@code n = 1}, which is
 *     what DeepSeek's API serves (default: true for local, false for openai)
 * @param slipRate local teacher only: probability of an arithmetic slip, so rejection sampling has
 *     wrong traces to drop
 * @param verbosity local teacher only: 0 steps only, 1 R1-style attempts and "Wait," checks, 2 more
 * @param pricePerMillion optional {prompt, completion} USD per million tokens, for the manifest's cost
 */
public record TeacherSpec(
    String kind,
    String baseUrl,
    String model,
    String apiKeyEnv,
    Boolean nPerRequest,
    Boolean stream,
    Integer maxInFlight,
    Integer maxAttempts,
    Double slipRate,
    Double catchRate,
    Integer verbosity,
    Price pricePerMillion)
    implements Serializable {

  /** USD per million prompt and completion tokens. */
  public record Price(Double prompt, Double completion) implements Serializable {}

  public TeacherSpec {
    boolean local = "local".equals(kind);
    nPerRequest = nPerRequest == null ? local : nPerRequest;
    stream = stream == null ? Boolean.FALSE : stream;
    maxInFlight = maxInFlight == null ? 32 : maxInFlight;
    maxAttempts = maxAttempts == null ? 10 : maxAttempts;
    if (local) {
      slipRate = slipRate == null ? 0.1 : slipRate;
      catchRate = catchRate == null ? 0.5 : catchRate;
      verbosity = verbosity == null ? 1 : verbosity;
      model = model == null ? "aha-local-teacher" : model;
    }
  }

  public boolean local() {
    return "local".equals(kind);
  }

  void validate(Checks c) {
    c.require(kind, "kind");
    c.oneOf(kind, "kind", List.of("local", "openai"));
    if ("openai".equals(kind)) {
      c.require(baseUrl, "base_url");
      c.require(model, "model");
      if (baseUrl != null && !baseUrl.matches("https?://.+")) c.fail("base_url", "must be an http(s) URL, got '" + baseUrl + "'");
      if (slipRate != null) c.fail("slip_rate", "only applies to kind: local");
      if (catchRate != null) c.fail("catch_rate", "only applies to kind: local");
      if (verbosity != null) c.fail("verbosity", "only applies to kind: local");
    }
    if (local() && baseUrl != null) c.fail("base_url", "is set by the stage for kind: local; use kind: openai for a running server");
    if (apiKeyEnv != null && !apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      c.fail("api_key_env", "must name an environment variable (the key itself never goes in a recipe)");
    }
    c.range(maxInFlight, "max_in_flight", 1, 4096);
    c.range(maxAttempts, "max_attempts", 1, 100);
    c.range(slipRate, "slip_rate", 0, 1);
    c.range(catchRate, "catch_rate", 0, 1);
    c.range(verbosity, "verbosity", 0, 2);
    if (pricePerMillion != null) {
      c.range(pricePerMillion.prompt(), "price_per_million.prompt", 0, 1e6);
      c.range(pricePerMillion.completion(), "price_per_million.completion", 0, 1e6);
    }
  }
}
