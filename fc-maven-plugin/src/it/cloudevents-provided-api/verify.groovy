// A CloudEventsFunction with the API provided: the image holds the API and cloudevents-api, and
// serves a binary-mode CloudEvent when run as the local runtime runs it.
import groovy.json.JsonSlurper

def run(List<String> command, File dir) {
  def errors = File.createTempFile('stderr', '.txt', dir)
  def process = new ProcessBuilder(command).directory(dir).redirectError(errors).start()
  def text = process.inputStream.text
  assert process.waitFor() == 0 : "${command} failed: ${text} ${errors.text}"
  return text
}

def fc = new File(basedir, 'target/fc')
def json = new JsonSlurper().parse(new File(fc, 'build.json'))
assert json.handler == 'com.example.HelloEvent'
def unpacked = new File(basedir, 'target/unpacked')
unpacked.mkdirs()
run(['tar', 'xf', new File(fc, 'image.tar').absolutePath], unpacked)
def blob = { String digest -> new File(unpacked, 'blobs/sha256/' + digest.substring(7)) }
def manifest = new JsonSlurper().parse(blob(json.digest))
def config = new JsonSlurper().parse(blob(manifest.config.digest))
def files = manifest.layers.collect { layer -> run(['tar', 'tzf', blob(layer.digest).absolutePath], unpacked).readLines().findAll { !it.endsWith('/') } }
// Both are provided in the project; the plugin adds the host's copies, found through the API's
// dependency graph.
assert files[0].sort() == ['app/libs/cloudevents-api-4.0.1.jar', 'app/libs/functions-framework-api-2.0.0.jar']

def rootfs = new File(basedir, 'target/rootfs')
rootfs.mkdirs()
manifest.layers.each { layer -> run(['tar', 'xzf', blob(layer.digest).absolutePath], rootfs) }
def app = new File(rootfs, 'app').absolutePath
def classpath = config.config.Entrypoint[2].replace('/app', app)
def java = new File(System.getProperty('java.home'), 'bin/java').absolutePath
def builder = new ProcessBuilder(java, '-cp', classpath, config.config.Entrypoint[3]).redirectErrorStream(true)
builder.environment().putAll([FUNCTION_TARGET: 'com.example.HelloEvent', PORT: '0', FC_BIND: '127.0.0.1'])
def host = builder.start()
try {
  def reader = new BufferedReader(new InputStreamReader(host.inputStream))
  def port = null
  def deadline = System.currentTimeMillis() + 30_000
  while (port == null && System.currentTimeMillis() < deadline) {
    def line = reader.readLine()
    assert line != null : 'fc-host exited before it was ready'
    if (line.contains('"msg":"ready"')) {
      port = new JsonSlurper().parseText(line).port
    }
  }
  assert port != null : 'fc-host did not report ready within 30 s'
  def connection = new URL("http://127.0.0.1:${port}/").openConnection()
  connection.requestMethod = 'POST'
  connection.doOutput = true
  connection.setRequestProperty('ce-specversion', '1.0')
  connection.setRequestProperty('ce-id', 'it-1')
  connection.setRequestProperty('ce-source', '//pubsub.googleapis.com/projects/p/topics/t')
  connection.setRequestProperty('ce-type', 'google.cloud.pubsub.topic.v1.messagePublished')
  connection.setRequestProperty('Content-Type', 'application/json')
  connection.outputStream.withCloseable { it.write('{"message":{}}'.bytes) }
  assert connection.responseCode == 200
  def seen = false
  while (!seen && System.currentTimeMillis() < deadline + 10_000) {
    def line = reader.readLine()
    assert line != null : 'fc-host exited'
    seen = line.contains('Event received: it-1 google.cloud.pubsub.topic.v1.messagePublished')
  }
  assert seen
} finally {
  host.destroy()
  if (!host.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
    host.destroyForcibly()
  }
}
return true
