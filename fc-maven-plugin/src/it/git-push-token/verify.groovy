// The remote refused the token: the build says so, naming where the token came from and where
// tokens are read, and Maven's whole output (messages, causes, stack traces) never shows it.
def token = 'ghp_itS3cretTokenValue0987654321'
def server = System.properties.get('fc.it.gitPushToken.server')
def received = System.properties.get('fc.it.gitPushToken.received')
try {
  def log = new File(basedir, 'build.log').text
  def sent = received.collect { new String(Base64.decoder.decode(it.substring('Basic '.length()))) }
  assert sent.contains('x-access-token:' + token) : 'the client sent the token: ' + received.size()
  assert log.contains('the remote refused the token from -Dfc.git.token (user x-access-token)') : log
  assert log.contains("the <password> of <server> 'fc-git'") : log
  assert log.contains('Caused by:') : 'mvn -e printed the causes'
  assert !log.contains(token)
  assert !log.contains(token.substring(4, 20))
} finally {
  server?.stop(0)
}
return true
