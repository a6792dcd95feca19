// The project is a Git repository of its own, so fc:init writes here (its top folder), never into
// the toolkit's checkout around target/it; and the team already has a CI workflow of that name.
import org.eclipse.jgit.api.Git

Git.init().setDirectory(basedir).setInitialBranch('main').call().close()
def ours = new File(basedir, '.github/workflows/ci.yml')
ours.parentFile.mkdirs()
ours.text = '# our own CI, not to be replaced\n'
return true
