// What fc:deploy, fc:rollback and fc:promote wrote through the Maven plugin, read back from the
// mock API server: the Knative Service (revisions by digest, traffic tags, the canary split), the
// KafkaSource with its stable consumer group, all valid against the Knative CRDs.
import groovy.json.JsonSlurper
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext

def dir = new File(basedir, 'registry')
def server = System.properties.get('fc.it.knative-deploy.server')
try {
  def log = new File(basedir, 'build.log').text
  def json = new JsonSlurper().parse(new File(basedir, 'target/fc/build.json'))
  assert json.target.type == 'registry'

  // goal 1: refused before the build, naming the file and the opt-in
  assert log.contains("fc:deploy would change environment 'staging' outside Git, but environments/staging/environment.yaml says driftPolicy: fail")
  assert log.contains('-Dfc.direct=true')
  // goal 2: revision v1 by digest, the tag address as the invoke URL, the trigger applied
  assert log.contains('[INFO] Published hello-kn v1 as revision hello-kn-v1')
  assert log.contains('[INFO] invoke    POST http://prod-hello-kn.staging.svc.cluster.local')
  assert log.contains('[INFO] triggers  orders (topic orders -> prod) (PENDING)')
  assert log.contains("[WARNING] fc:deploy changed environment 'staging' directly (fc.direct=true)")
  // goal 3: unchanged
  assert log.contains('[INFO] No new version: v1 already has this image and configuration')
  // goals 4-5
  assert log.contains('[INFO] Published hello-kn v2 as revision hello-kn-v2')
  assert log.contains('[INFO] Rolled back alias prod of hello-kn: v2 -> v1')
  assert log.contains('(routed 87/13 %: whole percents only, 12.5 % rounded to 13 %)')
  // goal 5: status with the objects' conditions
  assert log.contains('hello-kn on knative')
  // goal 6: rendered manifests, written by KnativeRenderer
  assert log.contains('of staging into')
  def rendered = new File(basedir, 'gitops/rendered/staging')
  assert rendered.isDirectory() && rendered.listFiles().length > 0

  // goal 7: a kube context the kubeconfig lacks is an error, not the current context
  def kubeconfig = new File(basedir, 'kubeconfig').absolutePath
  assert log.contains("environments/elsewhere/environment.yaml names kube context 'prod', but the kubeconfig (${kubeconfig}) has only the contexts [mock]; fc-toolkit does not fall back to the current context (mock)")
  assert log.contains('kubectl config set-context prod')

  def client = server.createClient()
  try {
    def service = client.genericKubernetesResources('serving.knative.dev/v1', 'Service')
        .inNamespace('staging').withName('hello-kn').get()
    assert service != null
    def spec = service.additionalProperties.spec
    assert spec.template.metadata.name == 'hello-kn-v2'
    assert spec.template.spec.containers[0].image == "${new File(dir, 'address').text}/it/hello-kn@${json.digest}".toString()
    def traffic = spec.traffic
    assert traffic.find { it.tag == 'prod' && it.revisionName == 'hello-kn-v1' && it.percent == 87 } : traffic
    assert traffic.find { it.tag == null && it.revisionName == 'hello-kn-v2' && it.percent == 13 } : traffic
    def source = client.genericKubernetesResources('sources.knative.dev/v1', 'KafkaSource')
        .inNamespace('staging').withName('hello-kn-orders').get()
    assert source.additionalProperties.spec.consumerGroup == 'fc-hello-kn-orders'
    assert source.additionalProperties.spec.bootstrapServers == ['kafka.kafka.svc:9092']
    def errors = io.fctoolkit.knative.CrdSchemas.get().validateNamespace(client, 'staging')
    assert errors.isEmpty() : errors
  } finally {
    client.close()
  }
} finally {
  if (server != null) {
    server.destroy()
    System.properties.remove('fc.it.knative-deploy.server')
  }
  evaluate(new File(basedir, '../../../src/it/shared/stop.groovy'))
}
return true
