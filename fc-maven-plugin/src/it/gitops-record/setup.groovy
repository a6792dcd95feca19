// The project becomes a clone of a bare remote (remote.git) on branch main, as a CI checkout is.
def state = new File(basedir, 'state')
context.userProperties.put('fc.runtime.stateDir', state.absolutePath)
context.userProperties.put('fc.runtime.port', '0')

def git = { File dir, String... args ->
  def command = ['git'] + args.toList()
  def process = new ProcessBuilder(command).directory(dir).redirectErrorStream(true).start()
  def output = process.inputStream.text
  if (process.waitFor() != 0) {
    throw new IllegalStateException("${command.join(' ')} failed: ${output}")
  }
  output
}
new File(basedir, 'gitignore').renameTo(new File(basedir, '.gitignore'))
git(basedir, 'init', '-q', '-b', 'main')
git(basedir, 'config', 'user.name', 'CI')
git(basedir, 'config', 'user.email', 'ci@example.com')
git(basedir, 'config', 'commit.gpgsign', 'false')
git(basedir, 'add', '-A')
git(basedir, 'commit', '-q', '-m', 'initial')
git(basedir, 'init', '-q', '--bare', '-b', 'main', 'remote.git')
git(basedir, 'remote', 'add', 'origin', new File(basedir, 'remote.git').absolutePath)
git(basedir, 'push', '-q', '-u', 'origin', 'main')
return true
