package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.Character.UnicodeScript;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScriptsTest {
  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
    "Add the numbers. | First, 3 + 5 = 8. Then 8 * 2 = 16. | false",
    "Add the numbers. | Let α = π/2, then \\frac{\\alpha}{2} and \\sin θ. | false",
    "Add the numbers. | We get 16. 答案是十六 | true",
    "Add the numbers. | Мы получаем шестнадцать, the answer is sixteen. | true",
    "Add the numbers. | Мы получаем шестнадцать. | true",
    "计算二加二。 | 设 x = 2，则 x + x = 4，答案是四。 | false",
    "计算二加二。 | <think>二加二等于四</think> \\boxed{4} | false",
    "计算二加二。 | Two plus two is four. | true",
    "12 + 7 = ? | 19 | false",
  })
  void mixed(String prompt, String trace, boolean expected) {
    assertThat(Scripts.mixed(prompt, trace, 0.01)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"abc 数学 x y | LATIN | 3", "abc 数学 x y | HAN | 2", "ひらがな漢字 | HAN | 6"})
  void lettersPerScript(String text, UnicodeScript script, int count) {
    assertThat(Scripts.letters(text).get(script)).isEqualTo(count);
  }
}
