// GitOps end to end on the real local runtime and a real Git repository: plan, apply, promote by a
// branch, plan the branch, merge, apply, revert, apply, drift.
import groovy.json.JsonSlurper

def state = new File(basedir, 'state')
try {
  def log = new File(basedir, 'build.log').text
  // 1, 2
  assert log.contains('[INFO] Published version 1')
  assert log.contains('[INFO] Published version 2')
  // 3: changes: the distinct failure
  assert log.contains('[INFO]   + alias    hello-gitops/live  (new) -> blue')
  assert log.contains('FC_PLAN_CHANGES_PENDING: 1 change(s) pending in dev')
  // 4
  assert log.contains('[INFO]   [applied] create alias hello-gitops/live: (new) -> blue (revision 1)')
  // 5: no changes, and the detailed exit code passed (the build went on to step 6)
  assert log.contains('[INFO] No changes: the platform matches Git.')
  // 6: a branch and a commit, pushed
  assert log.contains('[INFO] branch  fc/promote/dev/hello-gitops/live')
  assert log =~ /\[INFO\] commit  [0-9a-f]{40} \(on [0-9a-f]{40}\)/
  assert log.contains('[INFO] pushed  yes: open a pull request from fc/promote/dev/hello-gitops/live')
  // 8: the branch's plan shows the alias move
  assert log.contains('[INFO]   ~ alias    hello-gitops/live  blue -> green')
  // 10, 11: merged and applied: live on v2
  assert log.contains('[INFO]   [applied] move alias hello-gitops/live: blue -> green (revision 2)')
  assert log =~ /\[INFO\] v2 +sha256:\S+ live, stage /
  // 13, 14: the merge reverted and applied: live back on v1
  assert log.contains('[INFO]   [applied] move alias hello-gitops/live: green -> blue (revision 3)')
  assert log =~ /\[INFO\] v1 +sha256:\S+ dev, live /
  // 16: the alias made by hand is drift, reported and left as is (driftPolicy report)
  assert log.contains('[INFO]   ! drift    hello-gitops alias hotfix: exists on the platform (green) but not in Git')
  assert log.contains('[INFO] No changes: the platform matches Git, 1 drift.')
  def md = new File(basedir, 'target/fc/plan-dev.md')
  def json = new JsonSlurper().parse(new File(basedir, 'target/fc/plan-dev.json'))
  assert md.text.contains('<!-- fc-toolkit-plan:dev -->')
  assert json.drift*.name == ['hotfix']
  assert json.hasChanges == false
  assert new File(basedir, 'target/fc/plan-dev.exitcode').text.trim() == '0'
  // the merge was reverted on the remote's main
  def proc = ['git', '--git-dir', new File(basedir, 'remote.git').absolutePath, 'log', '--format=%s', 'main'].execute()
  def subjects = proc.text
  assert subjects.contains('Revert "Merge pull request #1')
  assert subjects.contains('Merge pull request #1 from fc/promote/dev/hello-gitops/live')
  assert !log.contains('\u001b[K')
} finally {
  evaluate(new File(basedir, '../../../src/it/shared/stop.groovy'))
}
return true
