// fc:deploy -Dfc.record=git: checked with real git on the bare remote the deploy pushed to.
import groovy.json.JsonSlurper

def state = new File(basedir, 'state')
def git = { String... args ->
  def command = ['git', '--git-dir', new File(basedir, 'remote.git').absolutePath] + args.toList()
  def process = new ProcessBuilder(command).redirectErrorStream(true).start()
  def output = process.inputStream.text
  assert process.waitFor() == 0: "${command.join(' ')} failed: ${output}"
  output
}
try {
  def log = new File(basedir, 'build.log').text
  def digest = new JsonSlurper().parse(new File(basedir, 'target/fc/build.json')).digest
  def id = '1.0.0-' + digest.substring('sha256:'.length(), 'sha256:'.length() + 12)
  def branch = "fc/release/dev/hello-record/${id}"
  def file = 'gitops/environments/dev/environment.yaml'

  // 1: published, recorded on its branch and pushed
  assert log.contains('[INFO] Published version 1')
  assert log.contains("[INFO] release(dev): hello-record ${id}, dev -> ${id} committed on branch ${branch} and pushed")
  assert log.contains("[INFO] branch  ${branch}")
  assert log.contains("[INFO] pushed  yes: open a pull request from ${branch}")

  // The branch exists on the remote, one commit on top of main
  def tip = git('rev-parse', "refs/heads/${branch}").trim()
  def main = git('rev-parse', 'refs/heads/main').trim()
  assert git('rev-parse', "${tip}^").trim() == main
  assert git('for-each-ref', '--format=%(refname)', 'refs/heads/fc/').trim() == "refs/heads/${branch}"

  // The commit message names the function, the release (project version + digest), the image by
  // digest and the platform version
  def message = git('log', '-1', '--format=%B', tip)
  assert message.startsWith("release(dev): hello-record ${id}, dev -> ${id}\n\n")
  assert message.contains("hello-record release ${id} = hello-record@${digest}\n")
  assert message.contains("hello-record/dev: dev -> ${id}\n")
  assert message.contains('Deployed by fc:deploy: hello-record version 1 (new) on ')
  assert git('show', '--name-only', '--format=', tip).trim() == file

  // Byte for byte: the branch's file is main's with the release lines inserted and the alias value
  // replaced in place (its end-of-line comment kept); every other line, comment and space is as it was
  def before = git('show', "main:${file}")
  def after = git('show', "${tip}:${file}")
  def expected = before
      .replace("        image: '127.0.0.1:5000/fc/hello-record:dev'\n",
          "        image: '127.0.0.1:5000/fc/hello-record:dev'\n" +
          "      - id: ${id}\n        image: hello-record@${digest}\n")
      .replace('        release: dev    # fc:deploy moves this one\n',
          "        release: ${id}    # fc:deploy moves this one\n")
  assert after == expected
  assert after.contains('  type:   local      # the embedded runtime\n')
  assert after.endsWith('\n# The end.\n')

  // 2: the same build again: no new version, the pending commit reused (still one commit)
  assert log.contains('[INFO] No new version: v1 already has this image and configuration')
  assert log.contains("[INFO] release(dev): hello-record ${id}, dev -> ${id} is already pending as ${tip.substring(0, 8)} on branch ${branch} and pushed")
  assert git('rev-parse', "refs/heads/${branch}").trim() == tip

  // 3, 5: main's plan and the branch's plan: nothing to change (a failing detailed exit code would
  // have stopped the build), the branch's with the recorded release mapped to v1
  assert log.count('[INFO] No changes: the platform matches Git.') == 2
  def json = new JsonSlurper().parse(new File(basedir, 'target/fc/plan-dev.json'))
  assert json.hasChanges == false
  assert new File(basedir, 'target/fc/plan-dev.exitcode').text.trim() == '0'
  assert json.refusal == null
  assert json.publishes == [] && json.aliases == [] && json.drift == [] && json.errors == []

  // 6: a bad value fails before the build, naming the parameter
  assert log.contains("'github': expected git or none (<record> in pom.xml or -Dfc.record)")
} finally {
  evaluate(new File(basedir, '../../../src/it/shared/stop.groovy'))
}
return true
