package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FilterBucketsTest {
  @Test
  void bucketsGrowWithTheInputSoOneBucketFitsInMemory() {
    assertThat(FilterStage.buckets(18)).isEqualTo(64);
    assertThat(FilterStage.buckets(64 * 4096)).isEqualTo(64);
    assertThat(FilterStage.buckets(1_000_000)).isEqualTo(244);
    assertThat(FilterStage.buckets(Long.MAX_VALUE / 2)).isEqualTo(65536);
  }

  @Test
  void aProblemAlwaysLandsInTheSameBucket() {
    assertThat(FilterStage.bucket("p01", 64)).isEqualTo(FilterStage.bucket(new String("p01"), 64)).isBetween(0, 63);
    assertThat(FilterStage.bucket("a-negative-hash-?", 7)).isBetween(0, 6);
  }
}
