// Starts Debian's docker-registry on 127.0.0.1:<free port> (as push-registry does) and fabric8's
// mock Kubernetes API server in CRUD mode in this (the outer Maven) JVM, from the plugin's test
// class path (addTestClassPath), and writes a kubeconfig whose context "mock" points at it.
// verify.groovy stops both (invoker runs it even when the build fails); `timeout` stops the
// registry anyway after 10 minutes, and the mock server dies with this JVM.
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer
import io.fabric8.kubernetes.client.utils.Serialization
import io.fabric8.mockwebserver.Context
import io.fabric8.mockwebserver.MockWebServer

def dir = new File(basedir, 'registry')
dir.mkdirs()
def socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())
def port = socket.localPort
socket.close()
def config = new File(dir, 'config.yml')
config.text = """version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${new File(dir, 'storage').absolutePath}
http:
  addr: 127.0.0.1:${port}
"""
def process = new ProcessBuilder('timeout', '600', 'docker-registry', 'serve', config.absolutePath)
    .redirectErrorStream(true)
    .redirectOutput(new File(dir, 'registry.log'))
    .start()
new File(dir, 'pid').text = process.pid().toString()
def address = "127.0.0.1:${port}"
new File(dir, 'address').text = address
boolean ready = false
for (int i = 0; i < 200 && !ready && process.alive; i++) {
  try {
    def connection = new URL("http://${address}/v2/").openConnection()
    connection.connectTimeout = 500
    ready = connection.responseCode == 200
  } catch (IOException notYet) {
    Thread.sleep(100)
  }
}
assert ready : "docker-registry did not start: " + new File(dir, 'registry.log').text

// The mock API server as @EnableKubernetesMockClient(crud = true) builds it, on 127.0.0.1.
def responses = new HashMap()
def server = new KubernetesMockServer(
    new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
    new KubernetesMixedDispatcher(responses), false)
server.init(InetAddress.getByName('127.0.0.1'), 0)
// verify.groovy runs in this JVM and reaches the server through this key.
System.properties.put('fc.it.knative-deploy.server', server)
def kubeconfig = new File(basedir, 'kubeconfig')
kubeconfig.text = """apiVersion: v1
kind: Config
clusters:
  - name: mock
    cluster:
      server: http://127.0.0.1:${server.port}
users:
  - name: mock
    user:
      token: not-a-secret
contexts:
  - name: mock
    context:
      cluster: mock
      user: mock
      namespace: staging
current-context: mock
"""
// fabric8 reads the kubeconfig path from the system property "kubeconfig" (else KUBECONFIG).
context.userProperties.put('kubeconfig', kubeconfig.absolutePath)
context.userProperties.put('fc.image', "${address}/it/hello-kn:dev".toString())
return true
