package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {

  private static Route route(String method, String pattern) {
    return new Route(method, pattern, Route.Access.TOKEN, 0, call -> {});
  }

  @Test
  void match_namedSegments_areReturnedStillEncoded() {
    // Given
    Route r = route("GET", "/v1/functions/{function}/aliases/{alias}");
    // When
    Map<String, String> params = r.match(Route.segments("/v1/functions/my%20fn/aliases/prod"));
    // Then
    assertThat(params)
        .containsExactlyInAnyOrderEntriesOf(Map.of("function", "my%20fn", "alias", "prod"));
  }

  @Test
  void match_wrongLengthOrLiteral_isNull() {
    Route r = route("GET", "/v1/functions/{function}");
    assertThat(r.match(Route.segments("/v1/functions"))).isNull();
    assertThat(r.match(Route.segments("/v1/functions/a/b"))).isNull();
    assertThat(r.match(Route.segments("/v1/function/a"))).isNull();
  }

  @Test
  void match_emptySegmentsAreIgnored_asBefore() {
    assertThat(route("GET", "/v1/functions").match(Route.segments("//v1///functions/"))).isEmpty();
  }

  @Test
  void match_trailingStars_takeAnyNumberOfFurtherSegments() {
    Route r = route(Route.ANY_METHOD, "/invoke/{function}/{qualifier}/**");
    assertThat(r.match(Route.segments("/invoke/f/prod"))).containsEntry("qualifier", "prod");
    assertThat(r.match(Route.segments("/invoke/f/prod/a/b/c"))).containsEntry("function", "f");
    assertThat(r.match(Route.segments("/invoke/f"))).isNull();
    assertThat(r.allows("PATCH")).isTrue();
  }

  @Test
  void allows_onlyItsMethod() {
    assertThat(route("GET", "/x").allows("GET")).isTrue();
    assertThat(route("GET", "/x").allows("HEAD")).isFalse();
  }

  @Test
  void pattern_withStarsInTheMiddle_isRefused() {
    assertThatThrownBy(() -> route("GET", "/a/**/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/a/**/b");
  }

  @Test
  void segments_dropEmptyOnes() {
    assertThat(Route.segments("/a//b/")).isEqualTo(List.of("a", "b"));
  }
}
