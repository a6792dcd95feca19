// The same set-up as gitops-local: the project becomes a clone of a bare remote (remote.git) on
// branch main, with the runtime's state in state/ on an ephemeral port.
return evaluate(new File(basedir, '../../../src/it/gitops-local/setup.groovy'))
