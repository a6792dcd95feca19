def state = new File(basedir, 'state')
try {
  def log = new File(basedir, 'build.log').text
  assert log.contains('Missing handler (the function class, run as FUNCTION_TARGET), perhaps you should add <handler> to pom.xml or pass -Dfc.handler=com.example.Grader')
  assert log.contains('Failed to execute goal io.fctoolkit:fc-maven-plugin:') && log.contains(':deploy (default-cli)')
  assert !new File(basedir, 'target/fc/image.tar').exists()
  // the deploy failed its checks: no local runtime was started for it
  assert !log.contains('started in the background')
  assert !new File(state, 'run/runtime.json').exists()
} finally {
  evaluate(new File(basedir, '../../../src/it/shared/stop.groovy'))
}
return true
