package aha.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import aha.grpo.reward.RewardTable;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 13 GRPO cases of {@code shared/fixtures/grpo/cases.json}, computed by an independent float64
 * PyTorch implementation: rewards, advantages, loss mask, per-token ratio / KL / loss, the loss,
 * its gradient w.r.t. the new log-probs (DJL autograd) and the metrics. Run in float64 (tolerance
 * 1e-9) and in float32, the training dtype (1e-6 absolute plus 1e-5 relative).
 */
@Tag("shared")
class GrpoCasesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode cases() throws IOException {
    String shared = System.getProperty("aha.shared.dir");
    assertThat(shared).as("system property aha.shared.dir").isNotNull();
    return JSON.readTree(Path.of(shared, "fixtures", "grpo", "cases.json").toFile()).get("cases");
  }

  static Stream<Arguments> caseAndDtype() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : cases()) {
      out.add(Arguments.of(c.get("id").asText(), DataType.FLOAT64));
      out.add(Arguments.of(c.get("id").asText(), DataType.FLOAT32));
    }
    return out.stream();
  }

  @Test
  void fileHoldsThirteenCases() throws IOException {
    assertEquals(13, cases().size());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("caseAndDtype")
  void matchesReference(String id, DataType dtype) throws IOException {
    JsonNode c = find(id);
    JsonNode s = c.get("settings");
    JsonNode in = c.get("inputs");
    JsonNode ex = c.get("expected");
    boolean f64 = dtype == DataType.FLOAT64;
    double abs = f64 ? 1e-9 : 1e-6;
    double rel = f64 ? 1e-9 : 1e-5;

    // rewards: weighted sum, nulls add nothing, all-null rows unscorable
    List<String> names = new ArrayList<>();
    in.get("reward_funcs").forEach(n -> names.add(n.asText()));
    double[] weights = doubles(in.get("reward_weights"));
    JsonNode rpf = in.get("rewards_per_func");
    Double[][] perFunc = new Double[rpf.size()][names.size()];
    for (int i = 0; i < rpf.size(); i++) {
      for (int k = 0; k < names.size(); k++) {
        JsonNode v = rpf.get(i).get(k);
        perFunc[i][k] = v.isNull() ? null : v.asDouble();
      }
    }
    RewardTable table = new RewardTable(names, weights, perFunc);
    double[] rewards = table.totals();
    assertClose("rewards", doubles(ex.get("rewards")), rewards, 1e-12, 0);

    // advantages
    int g = s.get("num_generations").asInt();
    Advantages adv =
        Advantages.compute(rewards, g, ScaleRewards.parse(s.get("scale_rewards").asText()));
    assertClose("advantages", doubles(ex.get("advantages")), adv.values(), 1e-9, 1e-9);
    if (ex.get("reward_std_used").isNull()) { // scale_rewards none: no std used
      assertThat(java.util.Arrays.stream(adv.stdUsed()).allMatch(Double::isNaN)).isTrue();
    } else {
      assertClose("reward_std_used", doubles(ex.get("reward_std_used")), adv.stdUsed(), 1e-12, 0);
    }

    // loss mask, from the completion mask and from the lengths
    boolean[] truncated = booleans(in.get("truncated"));
    boolean maskTrunc = s.get("mask_truncated_completions").asBoolean();
    float[][] mask = LossMask.of(floats(in.get("completion_mask")), truncated, maskTrunc);
    float[][] expectedMask = floats(ex.get("loss_mask"));
    assertThat(mask).isDeepEqualTo(expectedMask);
    int[] lengths = ints(in.get("completion_lengths"));
    assertThat(LossMask.of(lengths, mask[0].length, truncated, maskTrunc))
        .isDeepEqualTo(expectedMask);

    // loss, per-token parts, gradient
    LossConfig config =
        new LossConfig(
            LossType.parse(s.get("loss_type").asText()),
            s.get("epsilon").asDouble(),
            s.get("epsilon_high").isNull() ? null : s.get("epsilon_high").asDouble(),
            s.get("beta").asDouble());
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray newLp = m.create(doubles2(in.get("new_logprobs"))).toType(dtype, false);
      NDArray oldLp = m.create(doubles2(in.get("old_logprobs"))).toType(dtype, false);
      NDArray refLp = m.create(doubles2(in.get("ref_logprobs"))).toType(dtype, false);
      NDArray advArr = m.create(adv.values()).toType(dtype, false);
      NDArray maskArr = m.create(mask).toType(dtype, false);
      newLp.setRequiresGradient(true);
      LossScale scale =
          LossScale.single(s.get("max_completion_length").asInt(), host(maskArr.sum())[0]);
      GrpoLoss.Result result;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        result =
            GrpoLoss.compute(
                config, new GrpoLoss.Batch(newLp, oldLp, refLp, advArr, maskArr), scale);
        gc.backward(result.loss());
      }
      assertEquals(dtype, result.loss().getDataType(), "the loss keeps the log-probs' dtype");
      double loss = result.loss().toType(DataType.FLOAT64, false).getDouble();
      // c01's loss is ~3e-17 (rounding): an absolute tolerance only
      assertClose("loss", new double[] {ex.get("loss").asDouble()}, new double[] {loss}, abs, rel);
      assertClose("ratio", flat(ex.get("ratio")), host(result.ratio()), abs, rel);
      assertClose(
          "per_token_kl", flat(ex.get("per_token_kl")), host(result.perTokenKl()), abs, rel);
      assertClose(
          "per_token_loss", flat(ex.get("per_token_loss")), host(result.perTokenLoss()), abs, rel);
      assertClose(
          "grad_new_logprobs",
          flat(ex.get("grad_new_logprobs")),
          host(newLp.getGradient()),
          abs,
          rel);

      // metrics: counts exactly, the rest to tolerance
      JsonNode em = ex.get("metrics");
      LossMetrics lm = result.metrics();
      assertEquals(em.get("clip_ratio_low_mean").asDouble(), lm.clipRatioLowMean());
      assertEquals(em.get("clip_ratio_high_mean").asDouble(), lm.clipRatioHighMean());
      assertEquals(em.get("clip_ratio_region_mean").asDouble(), lm.clipRatioRegionMean());
      assertEquals(em.get("clip_ratio_low_min").asDouble(), lm.clipRatioLowMin());
      assertEquals(em.get("clip_ratio_high_max").asDouble(), lm.clipRatioHighMax());
      assertEquals(em.get("ratio_below_low_bound_fraction").asDouble(), lm.ratioBelowLowBound());
      assertEquals(em.get("ratio_above_high_bound_fraction").asDouble(), lm.ratioAboveHighBound());
      assertEquals(em.get("num_loss_tokens").asLong(), lm.numLossTokens());
      assertClose(
          "kl_mean",
          new double[] {em.get("kl_mean").asDouble()},
          new double[] {lm.klMean()},
          abs,
          rel);

      Map<String, Double> rm = table.metrics(adv);
      assertEquals(em.get("frac_reward_zero_std").asDouble(), rm.get("frac_reward_zero_std"));
      assertClose(
          "reward_mean",
          new double[] {em.get("reward_mean").asDouble()},
          new double[] {rm.get("reward")},
          1e-12,
          0);
      assertClose(
          "reward_std",
          new double[] {em.get("reward_std").asDouble()},
          new double[] {rm.get("reward_std")},
          1e-12,
          0);
      for (String name : names) {
        for (String stat : new String[] {"mean", "std"}) {
          String key = "rewards/" + name + "/" + stat;
          assertClose(
              key, new double[] {em.get(key).asDouble()}, new double[] {rm.get(key)}, 1e-12, 0);
        }
      }
      assertThat(lm.toMap())
          .containsKeys("clip_ratio/low_mean", "clip_ratio/high_max", "kl", "num_loss_tokens");
    }
  }

  private static JsonNode find(String id) throws IOException {
    for (JsonNode c : cases()) {
      if (c.get("id").asText().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no case " + id);
  }

  static void assertClose(String what, double[] expected, double[] actual, double abs, double rel) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      if (Double.isNaN(expected[i])) {
        assertThat(actual[i]).as("%s[%d]", what, i).isNaN();
        continue;
      }
      double tol = abs + rel * Math.abs(expected[i]);
      assertThat(actual[i])
          .as("%s[%d]", what, i)
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tol));
    }
  }

  private static double[] host(NDArray a) {
    return a.toType(DataType.FLOAT64, false).toDoubleArray();
  }

  /** Numbers, with JSON null as NaN. */
  private static double[] doubles(JsonNode n) {
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).isNull() ? Double.NaN : n.get(i).asDouble();
    }
    return out;
  }

  private static double[][] doubles2(JsonNode n) {
    double[][] out = new double[n.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubles(n.get(i));
    }
    return out;
  }

  private static double[] flat(JsonNode n) {
    return Stream.of(doubles2(n)).flatMapToDouble(java.util.Arrays::stream).toArray();
  }

  private static float[][] floats(JsonNode n) {
    float[][] out = new float[n.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new float[n.get(i).size()];
      for (int t = 0; t < out[i].length; t++) {
        out[i][t] = (float) n.get(i).get(t).asDouble();
      }
    }
    return out;
  }

  private static int[] ints(JsonNode n) {
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asInt();
    }
    return out;
  }

  private static boolean[] booleans(JsonNode n) {
    boolean[] out = new boolean[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asBoolean();
    }
    return out;
  }
}
