package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FC_FUNCTION_CLASSPATH: a function that is only on the extra classpath. */
class FunctionClasspathTest {
  @TempDir Path dir;

  @Test
  void functionOnlyOnTheExtraClasspath_isLoadedInAChildLoader() throws Exception {
    Path src = dir.resolve("src/extra/Hi.java");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        "package extra;\n"
            + "public class Hi implements com.google.cloud.functions.HttpFunction {\n"
            + "  public void service(com.google.cloud.functions.HttpRequest q,"
            + " com.google.cloud.functions.HttpResponse r) throws Exception {\n"
            + "    r.getWriter().write(\"hi from \" + getClass().getClassLoader().getName()\n"
            + "        + \" tccl=\" + Thread.currentThread().getContextClassLoader().getName());\n"
            + "  }\n"
            + "}\n");
    Path classes = dir.resolve("classes");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status =
        javac.run(
            null,
            null,
            null,
            "-d",
            classes.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            src.toString());
    assertThat(status).isZero();

    try (InProcessHost host =
        InProcessHost.start("extra.Hi", "FC_FUNCTION_CLASSPATH", classes.toString())) {
      assertThat(host.get("/").body()).isEqualTo("hi from fc-function tccl=fc-function");
    }
  }

  @Test
  void missingExtraClasspathEntry_isALoadFailureNamingIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Host.Outcome outcome =
        Host.start(
            Map.of(
                "PORT", "0",
                "FC_BIND", "127.0.0.1",
                "FUNCTION_TARGET", "extra.Hi",
                "FC_FUNCTION_CLASSPATH", dir.resolve("nope.jar").toString()),
            java.io.InputStream.nullInputStream(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            false);

    assertThat(outcome.status()).isEqualTo(Host.EXIT_LOAD);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("FC_FUNCTION_CLASSPATH entry")
        .contains("nope.jar does not exist");
  }
}
