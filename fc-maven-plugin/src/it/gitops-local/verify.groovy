// GitOps end to end on the real local runtime and a real Git repository: plan, apply, promote by a
// branch, plan the branch, merge, apply, revert, apply, drift.
import groovy.json.JsonSlurper

def state = new File(basedir, 'state')
try {
  def log = new File(basedir, 'build.log').text
  // 1, 2
  assert log.contains('[INFO] Published version 1')
  assert log.contains('[INFO] Published version 2')
  // 3: changes: the distinct failure, and the files for the PR comment
  assert log =~ /FC_PLAN_CHANGES_PENDING: 1 change\(s\) pending in dev/
  // 4
  assert log =~ /\[INFO\]   \[applied\] .*live/
  // 5: exit code file of the last run of step 5 is overwritten later; the log shows success of 5
  assert log.contains('nothing to do') || log.contains('No changes')
  // 6
  assert log.contains('[INFO] branch  fc/promote/dev/hello-gitops/live')
  assert log =~ /\[INFO\] commit  [0-9a-f]{40} \(on [0-9a-f]{40}\)/
  assert log.contains('[INFO] pushed  yes')
  // 8: the branch's plan shows the alias move
  assert log.contains('blue -> green')
  // 12: the revert moves it back
  assert log.contains('green -> blue')
  // 14: the alias made by hand is drift
  assert log =~ /(?i)drift.*hotfix|hotfix.*drift/
  def md = new File(basedir, 'target/fc/plan-dev.md')
  def json = new JsonSlurper().parse(new File(basedir, 'target/fc/plan-dev.json'))
  assert md.text.contains('<!-- fc-toolkit-plan:dev -->')
  assert json.drift.toString().contains('hotfix')
  assert new File(basedir, 'target/fc/plan-dev.exitcode').text.trim() in ['0', '2']
  // the merge was reverted on the remote's main
  def proc = ['git', '--git-dir', new File(basedir, 'remote.git').absolutePath, 'log', '--format=%s', 'main'].execute()
  def subjects = proc.text
  assert subjects.contains('Revert "Merge pull request #1')
  assert subjects.contains('Merge pull request #1 from fc/promote/dev/hello-gitops/live')
  assert !log.contains('\u001b[K')
} finally {
  def info = new File(state, 'run/runtime.json')
  if (info.exists()) {
    def pid = new JsonSlurper().parse(info).pid as long
    ProcessHandle.of(pid).ifPresent { it.destroy() }
  }
}
return true
