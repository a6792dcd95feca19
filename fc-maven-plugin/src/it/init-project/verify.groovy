// What fc:init wrote, read back with fc-gitops' own reader; the pipelines are the toolkit's files
// byte for byte; the team's own workflow was kept and said so.
import io.fctoolkit.core.gitops.GitOpsRepository
import java.nio.file.Files

def log = new File(basedir, 'build.log').text
def pipelines = new File(basedir, '../../../../pipelines')
assert pipelines.isDirectory() : pipelines

// Run 1 kept the team's workflow and listed it; run 2 wrote the Jenkinsfile and nothing else.
assert new File(basedir, '.github/workflows/ci.yml').text == '# our own CI, not to be replaced\n'
assert log.contains('exists, kept; -Dfc.init.force to overwrite: .github/workflows/ci.yml') : log
assert log.contains('written     gitops/functions/hello-init.yaml')
assert log.contains('unchanged   gitops/functions/hello-init.yaml')
assert log.contains('written     Jenkinsfile')
assert !log.contains('OVERWRITTEN')

// Every other pipeline file is the toolkit's, verbatim, where the mapping puts it.
new File(pipelines, 'github/workflows').eachFile { source ->
  if (source.name != 'ci.yml') {
    def copy = new File(basedir, '.github/workflows/' + source.name)
    assert copy.bytes == source.bytes : copy
  }
}
assert new File(basedir, 'Jenkinsfile').bytes == new File(pipelines, 'Jenkinsfile').bytes
assert new File(basedir, 'pipelines/README.md').bytes == new File(pipelines, 'README.md').bytes
assert !new File(basedir, 'pipelines/github').exists()
assert new File(basedir, 'gitops/schema/environment.schema.json').isFile()

// The gitops folder is valid for the project's own reader, with what the pom says.
def repo = GitOpsRepository.open(new File(basedir, 'gitops').toPath())
def function = repo.function('hello-init').config()
assert function.handler() == 'com.example.HelloWorld'
assert function.resources().memoryMb() == 256
assert function.resources().timeout() == java.time.Duration.ofMinutes(2)
assert function.env() == [GREETING: 'Hello "world"']
assert repo.environment('dev').platform().getClass().simpleName == 'Local'
assert repo.environment('prod').platform().getClass().simpleName == 'Knative'
assert log.contains('BUILD SUCCESS')
return true
