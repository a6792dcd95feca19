package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.PublishResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {

  @TempDir Path dir;

  @Test
  void publish_alias_invoke() throws Exception {
    TestImages.Built image = TestImages.build(dir, "hello", "one", true);
    try (RuntimeServer server = RuntimeServer.start(RuntimeOptions.forTest(dir.resolve("state")));
        LocalPlatform platform = server.client()) {
      long t0 = System.nanoTime();
      PublishResult result =
          platform.publish(
              new PublishRequest(
                  FunctionConfig.builder("hello", "io.fctoolkit.runtime.testfn.Hello").build(),
                  new ImageSource.Archive(image.tarball(), image.digest(), "local/hello"),
                  null));
      System.out.println("publish ms " + (System.nanoTime() - t0) / 1e6 + " " + result);
      platform.putAlias(new AliasUpdate("hello", "dev", AliasTarget.of(1), 0L));
      for (int i = 0; i < 3; i++) {
        long t = System.nanoTime();
        InvokeResponse r = platform.invoke(InvokeRequest.json("hello", "dev", "x"));
        System.out.println(
            "invoke ms "
                + (System.nanoTime() - t) / 1e6
                + " "
                + r.status()
                + " "
                + r.bodyText()
                + " v"
                + r.version());
        assertThat(r.status()).isEqualTo(200);
      }
      System.out.println(platform.metrics("hello"));
      System.out.println(platform.logs("hello", 1, 20));
    }
  }
}
