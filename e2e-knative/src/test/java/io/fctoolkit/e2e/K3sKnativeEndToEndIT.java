package io.fctoolkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The grader on a real Knative: K3s in Docker, Knative Serving (with Kourier), Eventing and the
 * Kafka extension installed from their release YAMLs, a single-node Kafka in the cluster, the
 * grader deployed with the installed plugin's {@code fc:deploy}, a submission produced to Kafka and
 * its grade read from the result topic, then a canary with {@code fc:promote} and {@code
 * fc:rollback}.
 *
 * <p>Needs a Docker engine and internet (images, release YAMLs, the JRE base image), and the plugin
 * installed in the local repository ({@code ./mvnw install -DskipTests -DskipITs}); runs with
 * {@code -Pknative-e2e} (.ci/github/knative-e2e.yml). Where no Docker engine answers it is skipped
 * with one line saying so. It has never been run by us: the build machines have neither Docker nor
 * internet.
 */
class K3sKnativeEndToEndIT {

  // Pinned: a run must mean the same thing next month.
  static final String K3S = "rancher/k3s:v1.31.4-k3s1";
  static final String KNATIVE = "knative-v1.16.0";
  static final String REGISTRY = "registry:2.8.3";
  static final String KAFKA = "apache/kafka:3.9.0";
  static final String NGINX = "nginx:1.27.3-alpine";

  static final String SERVING = "https://github.com/knative/serving/releases/download/" + KNATIVE;
  static final String KOURIER =
      "https://github.com/knative/net-kourier/releases/download/" + KNATIVE;
  static final String EVENTING = "https://github.com/knative/eventing/releases/download/" + KNATIVE;
  static final String KAFKA_EXT =
      "https://github.com/knative-extensions/eventing-kafka-broker/releases/download/" + KNATIVE;

  static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(15);

  static Network network;
  static GenericContainer<?> registry;
  static K3sContainer k3s;
  static Path root;
  static String registryAddress;

  @TempDir static Path work;

  @BeforeAll
  static void cluster() throws Exception {
    // The Docker probe fails fast when no engine answers (no socket, no DOCKER_HOST).
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      String why =
          "K3sKnativeEndToEndIT skipped: no Docker engine answers here (Testcontainers found none);"
              + " it runs in .ci/github/knative-e2e.yml";
      System.out.println(why); // the one line a reader of the build log sees
      Assumptions.abort(why);
    }
    root = Path.of(System.getProperty("fc.repository.root", "..")).toAbsolutePath().normalize();

    network = Network.newNetwork();
    registry =
        new GenericContainer<>(DockerImageName.parse(REGISTRY))
            .withNetwork(network)
            .withExposedPorts(5000);
    registry.start();
    // fc:deploy pushes from this machine to localhost:<mapped port>; containerd in K3s pulls the
    // same name through a mirror to the registry's address on the Docker network.
    registryAddress = "localhost:" + registry.getMappedPort(5000);
    String registryIp =
        registry
            .getContainerInfo()
            .getNetworkSettings()
            .getNetworks()
            .values()
            .iterator()
            .next()
            .getIpAddress();
    String mirrors =
        "mirrors:\n  \""
            + registryAddress
            + "\":\n    endpoint:\n      - \"http://"
            + registryIp
            + ":5000\"\n";
    k3s =
        new K3sContainer(DockerImageName.parse(K3S))
            .withNetwork(network)
            .withCopyToContainer(Transferable.of(mirrors), "/etc/rancher/k3s/registries.yaml");
    k3s.start();

    installKnative();
    installKafka();
    preparePhotos();
  }

  @AfterAll
  static void stop() {
    if (k3s != null) {
      k3s.stop();
    }
    if (registry != null) {
      registry.stop();
    }
    if (network != null) {
      network.close();
    }
  }

  static void installKnative() throws Exception {
    kubectl("apply", "-f", SERVING + "/serving-crds.yaml");
    kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=120s");
    kubectl("apply", "-f", SERVING + "/serving-core.yaml");
    kubectl("apply", "-f", KOURIER + "/kourier.yaml");
    kubectl(
        "patch",
        "configmap/config-network",
        "-n",
        "knative-serving",
        "--type",
        "merge",
        "-p",
        "{\"data\":{\"ingress-class\":\"kourier.ingress.networking.knative.dev\"}}");
    kubectl("apply", "-f", EVENTING + "/eventing-crds.yaml");
    kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=120s");
    kubectl("apply", "-f", EVENTING + "/eventing-core.yaml");
    kubectl("apply", "-f", KAFKA_EXT + "/eventing-kafka-controller.yaml");
    kubectl("apply", "-f", KAFKA_EXT + "/eventing-kafka-source.yaml");
    kubectl("apply", "-f", KAFKA_EXT + "/eventing-kafka-sink.yaml");
    kubectl("apply", "-f", KAFKA_EXT + "/eventing-kafka-channel.yaml");
    kubectl(
        "patch",
        "configmap/kafka-channel-config",
        "-n",
        "knative-eventing",
        "--type",
        "merge",
        "-p",
        "{\"data\":{\"bootstrap.servers\":\"kafka.kafka.svc.cluster.local:9092\"}}");
    for (String ns : List.of("knative-serving", "kourier-system", "knative-eventing")) {
      kubectl(
          "wait", "--for=condition=Available", "deployment", "--all", "-n", ns, "--timeout=600s");
    }
  }

  static void installKafka() throws Exception {
    apply(
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: kafka}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: kafka, namespace: kafka}
        spec:
          replicas: 1
          selector: {matchLabels: {app: kafka}}
          template:
            metadata: {labels: {app: kafka}}
            spec:
              containers:
                - name: kafka
                  image: %s
                  ports: [{containerPort: 9092}]
                  env:
                    - {name: KAFKA_NODE_ID, value: "1"}
                    - {name: KAFKA_PROCESS_ROLES, value: "broker,controller"}
                    - {name: KAFKA_LISTENERS, value: "PLAINTEXT://:9092,CONTROLLER://:9093"}
                    - {name: KAFKA_ADVERTISED_LISTENERS, value: "PLAINTEXT://kafka.kafka.svc.cluster.local:9092"}
                    - {name: KAFKA_CONTROLLER_LISTENER_NAMES, value: "CONTROLLER"}
                    - {name: KAFKA_LISTENER_SECURITY_PROTOCOL_MAP, value: "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"}
                    - {name: KAFKA_CONTROLLER_QUORUM_VOTERS, value: "1@localhost:9093"}
                    - {name: KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR, value: "1"}
                    - {name: KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR, value: "1"}
                    - {name: KAFKA_TRANSACTION_STATE_LOG_MIN_ISR, value: "1"}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: kafka, namespace: kafka}
        spec:
          selector: {app: kafka}
          ports: [{port: 9092, targetPort: 9092}]
        """
            .formatted(KAFKA));
    kubectl(
        "wait", "--for=condition=Available", "deployment/kafka", "-n", "kafka", "--timeout=300s");
    for (String topic : List.of("submissions", "submissions-dlq", "grades")) {
      kafka(
          "/opt/kafka/bin/kafka-topics.sh --bootstrap-server localhost:9092 --create"
              + " --if-not-exists --partitions 4 --topic "
              + topic);
    }
  }

  /** The grader fetches photos by URL: an nginx in the cluster serves the sample worksheet. */
  static void preparePhotos() throws Exception {
    Path sample =
        root.resolve("grader-function/src/test/resources/io/fctoolkit/grader/sample/sample.jpg");
    k3s.copyFileToContainer(MountableFile.forHostPath(sample), "/tmp/s-1.jpg");
    kubectl("create", "namespace", "grader");
    kubectl(
        "create", "secret", "generic", "grader-photos", "-n", "grader", "--from-literal=token=e2e");
    kubectl("create", "configmap", "photos", "-n", "grader", "--from-file=s-1.jpg=/tmp/s-1.jpg");
    apply(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: photos, namespace: grader}
        spec:
          replicas: 1
          selector: {matchLabels: {app: photos}}
          template:
            metadata: {labels: {app: photos}}
            spec:
              containers:
                - name: nginx
                  image: %s
                  volumeMounts: [{name: photos, mountPath: /usr/share/nginx/html}]
              volumes: [{name: photos, configMap: {name: photos}}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: photos, namespace: grader}
        spec:
          selector: {app: photos}
          ports: [{port: 80, targetPort: 80}]
        """
            .formatted(NGINX));
    kubectl(
        "wait", "--for=condition=Available", "deployment/photos", "-n", "grader", "--timeout=300s");
  }

  /** A gitops folder: the repository's grader, and an environment {@code e2e} on this cluster. */
  static Path gitops() throws IOException {
    Path dir = work.resolve("gitops");
    Files.createDirectories(dir.resolve("functions"));
    Files.createDirectories(dir.resolve("environments/e2e"));
    String grader =
        Files.readString(root.resolve("gitops/functions/grader.yaml"))
            .replace("\"photos.example.com\"", "\"photos.grader.svc.cluster.local\"");
    Files.writeString(dir.resolve("functions/grader.yaml"), grader);
    Files.writeString(
        dir.resolve("environments/e2e/environment.yaml"),
        """
        apiVersion: fc-toolkit.io/v1
        kind: Environment
        name: e2e
        platform:
          type: knative
          namespace: grader
        bootstrapServers: kafka.kafka.svc.cluster.local:9092
        driftPolicy: overwrite   # a test cluster: direct fc:deploy/promote/rollback allowed
        functions:
          grader:
            releases:
              - id: placeholder
                image: registry.example.com/grader@sha256:3c1f0e3b6d9a1a5b2f8e4c7d0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b
            aliases:
              - name: prod
                release: placeholder
            triggers:
              - name: submissions
                alias: prod
                ordering: partition
        """);
    return dir;
  }

  @Test
  void grader_deployedWithFcDeploy_gradesFromKafka_thenCanaryAndRollback() throws Exception {
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
    Path gitops = gitops();
    List<String> common =
        List.of(
            "-Dfc.env=e2e",
            "-Dfc.gitops.dir=" + gitops,
            "-Dkubeconfig=" + kubeconfig,
            "-Dfc.image=" + registryAddress + "/fc/grader",
            "-Dfc.knative.readyTimeout=5m");

    // Deploy: revision grader-v1, alias prod, KafkaSinks, Sequence and KafkaSource.
    String deploy = maven(common, "package", "fc:deploy", "-DskipTests", "-Dfc.alias=prod");
    assertThat(deploy)
        .contains("Published grader v1 as revision grader-v1")
        .doesNotContain("NOT applied");
    kubectl("wait", "--for=condition=Ready", "ksvc/grader", "-n", "grader", "--timeout=300s");
    kubectl(
        "wait",
        "--for=condition=Ready",
        "kafkasource/grader-submissions",
        "-n",
        "grader",
        "--timeout=300s");

    // A submission in, its grade out of the onSuccess topic, keyed like the submission.
    kafka(
        "echo 's-1|{\"submissionId\":\"s-1\",\"studentId\":\"st-7\","
            + "\"imageUri\":\"http://photos.grader.svc.cluster.local/s-1.jpg\"}'"
            + " | /opt/kafka/bin/kafka-console-producer.sh --bootstrap-server localhost:9092"
            + " --topic submissions --property parse.key=true --property key.separator='|'");
    String grade =
        kafka(
            "/opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server localhost:9092"
                + " --topic grades --from-beginning --max-messages 1 --timeout-ms 300000"
                + " --property print.key=true");
    assertThat(grade).contains("s-1").contains("\"submissionId\":\"s-1\"").contains("\"status\"");

    // A second version behind its own tag, then 10 % of prod as a canary.
    maven(common, "fc:deploy", "-Dfc.alias=next", "-Dfc.variables=GRADER_WARMUP=0");
    maven(common, "fc:promote", "-Dfc.alias=prod", "-Dfc.version=2", "-Dfc.weight=10");
    String traffic =
        kubectl("get", "ksvc", "grader", "-n", "grader", "-o", "jsonpath={.spec.traffic}");
    assertThat(traffic).contains("\"percent\":90").contains("\"percent\":10");

    // Rollback: prod back on v1 alone.
    maven(common, "fc:rollback", "-Dfc.alias=prod");
    traffic = kubectl("get", "ksvc", "grader", "-n", "grader", "-o", "jsonpath={.spec.traffic}");
    assertThat(traffic).contains("\"percent\":100").doesNotContainPattern("\"percent\":10[,}]");
  }

  // ---------------------------------------------------------------------------------------------

  static String kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("kubectl"));
    command.addAll(List.of(args));
    ExecResult result = k3s.execInContainer(command.toArray(String[]::new));
    assertThat(result.getExitCode())
        .as(String.join(" ", command) + "\n" + result.getStdout() + result.getStderr())
        .isZero();
    return result.getStdout();
  }

  static void apply(String yaml) throws Exception {
    k3s.copyFileToContainer(Transferable.of(yaml), "/tmp/apply.yaml");
    kubectl("apply", "-f", "/tmp/apply.yaml");
  }

  /** A shell command in the Kafka pod. */
  static String kafka(String shell) throws Exception {
    return kubectl("exec", "-n", "kafka", "deploy/kafka", "--", "sh", "-c", shell);
  }

  /** The repository's Maven wrapper on grader-function/, bounded in time; returns the log. */
  static String maven(List<String> common, String... goals) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("mvnw").toString());
    command.add("-B");
    command.add("-f");
    command.add(root.resolve("grader-function/pom.xml").toString());
    command.addAll(List.of(goals));
    command.addAll(common);
    Path log = Files.createTempFile(work, "maven", ".log");
    Process process =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      boolean done = process.waitFor(MAVEN_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
      String text = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(done).as("mvn " + String.join(" ", goals) + " timed out\n" + text).isTrue();
      assertThat(process.exitValue()).as("mvn " + String.join(" ", goals) + "\n" + text).isZero();
      return text;
    } finally {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
    }
  }
}
