package io.fctoolkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageRefTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void parse_registryWithPortTagAndDigest() {
    ImageRef ref = ImageRef.parse("127.0.0.1:5000/team/grader:1.2@" + DIGEST);

    assertThat(ref.repository()).isEqualTo("127.0.0.1:5000/team/grader");
    assertThat(ref.tag()).isEqualTo("1.2");
    assertThat(ref.digest()).isEqualTo(DIGEST);
    assertThat(ref.pinned().toString()).isEqualTo("127.0.0.1:5000/team/grader@" + DIGEST);
  }

  @Test
  void parse_portIsNotATag() {
    ImageRef ref = ImageRef.parse("localhost:5000/grader");

    assertThat(ref.repository()).isEqualTo("localhost:5000/grader");
    assertThat(ref.tag()).isEqualTo("latest");
    assertThat(ref.isPinned()).isFalse();
  }

  @Test
  void parse_badDigest_namesIt() {
    assertThatThrownBy(() -> ImageRef.parse("grader@sha256:xyz"))
        .hasMessageContaining("sha256:xyz");
  }
}
