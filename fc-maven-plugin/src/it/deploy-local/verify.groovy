// deploy, redeploy unchanged, deploy a new configuration, promote, canary, invoke, rollback,
// status and local-stop against a runtime fc:deploy started in the background.
import groovy.json.JsonSlurper

def state = new File(basedir, 'state')
try {
  def log = new File(basedir, 'build.log').text
  def digest = new JsonSlurper().parse(new File(basedir, 'target/fc/build.json')).digest

  // 1
  assert log.contains('so one was started in the background at http://127.0.0.1:')
  assert log.contains('[INFO] Published version 1')
  assert log.contains('[INFO] Moved alias dev to v1 (new alias)')
  assert log.contains("[INFO] digest    ${digest}")
  assert log =~ /\[INFO\] version   v1 \(new\)/
  assert log =~ /\[INFO\] elapsed   build \d+\.\d\d s, connect \d+\.\d\d s, publish \d+\.\d\d s, alias \d+\.\d\d s, triggers \d+\.\d\d s \(total \d+\.\d\d s\)/
  assert log =~ /\[INFO\] invoke    POST http:\/\/127\.0\.0\.1:\d+\/invoke\/hello-deploy\/dev/
  // 1-3: the trigger of gitops/functions/hello-deploy.yaml runs on the runtime's embedded broker,
  // which needs the runtime's full classpath (resolved by the plugin; its own realm has no broker)
  assert log =~ /\[INFO\] triggers  greetings \(topic greetings -> dev\) lag \d+ \(RUNNING\)/
  assert !log.contains('NOT applied')
  // 2
  assert log.contains('[INFO] Image unchanged since the last build')
  assert log.contains('[INFO] No new version: v1 already has this image and configuration')
  assert log.contains('[INFO] Alias dev already points at v1')
  assert log =~ /\[INFO\] version   v1 \(unchanged\)/
  // 3
  assert log.contains('[INFO] Published version 2')
  assert log.contains('[INFO] Moved alias dev to v2 (was v1)')
  // 4, 5
  assert log.contains('[INFO] Alias prod of hello-deploy -> v1 (new alias), revision 1')
  assert log.contains('[INFO] Alias prod of hello-deploy -> v1 + canary v2 at 10% (key affinity) (was v1), revision 2')
  // 6
  assert log.contains('[INFO] HTTP 200 from hello-deploy v2 (via alias dev)')
  assert log.contains('[INFO] Hello World!')
  // 7
  assert log.contains('[INFO] Rolled back alias prod of hello-deploy: v1 + canary v2 at 10% (key affinity) -> v1, revision 3')
  // 8: stale revision, both named, nothing changed
  assert log.contains("alias 'prod' of function 'hello-deploy' was changed by someone else: expected revision 2 but it is at revision 3")
  // 9: one table; dev on v2, prod on v1 after the rollback
  assert log =~ /\[INFO\] v2 +sha256:\S+ +dev +\d+ +1 +0 /
  assert log =~ /\[INFO\] v1 +sha256:\S+ +prod +/
  // 10
  assert log =~ /\[INFO\] Stopped the local runtime of .* \(pid \d+\)/
  assert !new File(state, 'run/runtime.json').exists()
  // batch mode: no footer escape codes
  assert !log.contains('\u001b[K')
} finally {
  evaluate(new File(basedir, '../../../src/it/shared/stop.groovy'))
}
return true
