// Starts Debian's docker-registry on 127.0.0.1:<free port> with its storage under the calling
// project's registry/ folder, and returns its address. Evaluated by the set-up scripts of the ITs
// that push (push-registry, knative-deploy); their verify.groovy stops it (shared/stop.groovy),
// and `timeout` stops it anyway after 10 minutes.
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
address
