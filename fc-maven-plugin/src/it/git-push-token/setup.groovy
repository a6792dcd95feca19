// The project is a Git repository whose origin is a smart-HTTP-like server on an ephemeral port that
// asks for Basic credentials and refuses every one it gets, recording the Authorization headers.
// The server lives in this JVM while the build runs; verify.groovy stops it.
import com.sun.net.httpserver.HttpServer
import org.eclipse.jgit.api.Git

def received = Collections.synchronizedList([])
def server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
server.createContext('/') { exchange ->
  def authorization = exchange.requestHeaders.getFirst('Authorization')
  if (authorization != null) {
    received << authorization
  }
  exchange.responseHeaders.add('WWW-Authenticate', 'Basic realm="git"')
  exchange.sendResponseHeaders(401, -1)
  exchange.close()
}
server.start()
System.properties.put('fc.it.gitPushToken.server', server)
System.properties.put('fc.it.gitPushToken.received', received)

def git = Git.init().setDirectory(basedir).setInitialBranch('main').call()
try {
  def config = git.repository.config
  config.setString('user', null, 'name', 'CI')
  config.setString('user', null, 'email', 'ci@example.com')
  config.setString('remote', 'origin', 'url', "http://127.0.0.1:${server.address.port}/team/functions.git")
  config.setString('remote', 'origin', 'fetch', '+refs/heads/*:refs/remotes/origin/*')
  config.save()
  git.add().addFilepattern('.').call()
  git.commit().setMessage('initial').setSign(false).call()
} finally {
  git.close()
}
return true
