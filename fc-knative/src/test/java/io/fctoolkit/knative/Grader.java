package io.fctoolkit.knative;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.Scaling;
import io.fctoolkit.core.StartOffset;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.knative.RenderInput.RenderAlias;
import io.fctoolkit.knative.RenderInput.RenderVersion;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A grader-like function with dev- and prod-like environments, shared by the tests. */
final class Grader {

  private Grader() {}

  static final String REPO = "ghcr.io/fc-toolkit/grader";
  static final String DIGEST_1 =
      "sha256:3c1f0e3b6d9a1a5b2f8e4c7d0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b";
  static final String DIGEST_2 =
      "sha256:9a4e2d7c1b0f3e6a5d8c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e";
  static final String DIGEST_3 =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  static FunctionConfig config() {
    return FunctionConfig.builder("grader", "io.fctoolkit.grader.GraderFunction")
        .resources(new Resources(512, 8, Duration.ofSeconds(30)))
        .scaling(new Scaling(0, 8, Duration.ofMinutes(5)))
        .env(
            Map.of(
                "GRADER_ALLOWED_HOSTS", "photos.example.com",
                "GRADER_MAX_IMAGE_BYTES", "12000000",
                "GRADER_PHOTO_TOKEN", "${secret:grader-photos/token}"))
        .idempotent(true)
        .build();
  }

  static ImageRef image(String digest) {
    return ImageRef.byDigest(REPO, digest);
  }

  static TriggerSpec submissions(String alias) {
    return TriggerSpec.builder("submissions", "grader", alias, "submissions")
        .ordering(Ordering.KEY)
        .maxInFlight(32)
        .startOffset(StartOffset.EARLIEST)
        .retry(new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(30)))
        .deadLetterTopic("submissions-dlq")
        .onSuccessTopic("grades")
        .partitions(4)
        .build();
  }

  static RenderInput dev() {
    return new RenderInput(
        "grader-dev",
        "grader",
        List.of(
            new RenderVersion(1, image(DIGEST_1), "2026-11-21.1", config()),
            new RenderVersion(2, image(DIGEST_2), "2026-11-22.1", config())),
        List.of(new RenderAlias("dev", AliasTarget.of(2))),
        List.of(submissions("dev")),
        null,
        "kafka.kafka.svc:9092");
  }

  static RenderInput prod() {
    return new RenderInput(
        "grader",
        "grader",
        List.of(
            new RenderVersion(1, image(DIGEST_1), "2026-11-21.1", config()),
            new RenderVersion(2, image(DIGEST_2), "2026-11-22.1", config())),
        List.of(
            new RenderAlias(
                "prod",
                AliasTarget.canary(1, 2, new BigDecimal("12.5"), io.fctoolkit.core.Affinity.NONE)),
            new RenderAlias("staging", AliasTarget.of(2))),
        List.of(
            submissions("prod"),
            TriggerSpec.builder("regrade", "grader", "staging", "regrade-requests")
                .ordering(Ordering.NONE)
                .deadLetterTopic("regrade-dlq")
                .partitions(2)
                .build()),
        "prod",
        "kafka-0.kafka.svc:9092,kafka-1.kafka.svc:9092");
  }
}
