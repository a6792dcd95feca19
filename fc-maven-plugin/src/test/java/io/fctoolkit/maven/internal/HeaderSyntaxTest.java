package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderSyntaxTest {

  @Test
  void parse_splitsOnCommas_trimsAndKeepsOrderAndRepeats() {
    assertThat(HeaderSyntax.parse("headers", " x-a: 1 , Accept:text/plain, x-a: 2,"))
        .containsExactly(
            Map.entry("x-a", "1"), Map.entry("Accept", "text/plain"), Map.entry("x-a", "2"));
  }

  @Test
  void parse_escapedCommaAndBackslash_stayInTheValue_andColonsAfterTheFirstToo() {
    assertThat(HeaderSyntax.parse("headers", "accept: a\\, b, x-path: c:\\\\d"))
        .containsExactly(Map.entry("accept", "a, b"), Map.entry("x-path", "c:\\d"));
  }

  @Test
  void parse_nothing_isNoHeaders() {
    assertThat(HeaderSyntax.parse("headers", null)).isEmpty();
    assertThat(HeaderSyntax.parse("headers", "  ")).isEmpty();
  }

  @Test
  void parse_entryWithoutColon_isRefusedNamingIt() {
    assertThatThrownBy(() -> HeaderSyntax.parse("headers", "x-a: 1, oops"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'oops'")
        .hasMessageContaining("Name: value");
  }

  @Test
  void parse_nameThatIsNoToken_andControlCharacterInValue_areRefused() {
    assertThatThrownBy(() -> HeaderSyntax.parse("headers", "x a: 1"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("' ' at index 1");
    assertThatThrownBy(() -> HeaderSyntax.parse("headers", "x-a: 1\u0001"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("0x01 at index 1");
  }

  @Test
  void parse_loneBackslash_isRefused() {
    assertThatThrownBy(() -> HeaderSyntax.parse("headers", "x-a: a\\b"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("escapes nothing");
  }
}
