// fc:deploy publishes under the dev release, so fc:plan on dev finds nothing to do; drift made
// by hand is planned, applied away, and the next plan is clean again.

def state = new File(basedir, 'state')
try {
  def log = new File(basedir, 'build.log').text
  assert log.contains('[INFO] Published version 1')
  assert log.contains('[INFO] Moved alias extra to v1 (new alias)')
  assert log.count('No changes: the platform matches Git') >= 2 : log
  assert new File(basedir, 'target/fc/plan.md').text.contains('<!-- fc-toolkit-plan:dev -->')
  assert log.contains('[INFO]   - alias    hello-gitops/extra  dev -> (deleted)  [undoes drift]')
  assert log.contains('[INFO]   [applied] delete alias hello-gitops/extra')
  assert log =~ /(?s)\[applied\] delete alias hello-gitops\/extra.*No changes: the platform matches Git/
  // the status table after apply: only dev remains, on v1, with the dev release
  assert log =~ /\[INFO\] v1 +sha256:\S+ +dev +.* dev *\n/
} finally {
  evaluate(new File(basedir, '../../../src/it/shared/stop.groovy'))
}
return true
