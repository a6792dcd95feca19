// fc:apply starts a progressive rollout on the local runtime; the runtime promotes the good release
// by itself once the canary has its samples, and the plan is clean afterwards.
try {
  def log = new File(basedir, 'build.log').text
  assert log.contains('[INFO] Published version 1')
  assert log.contains('[INFO] Published version 2')
  // 4: a rollout, not a move
  assert log.contains('rollout started: version 2 takes 50% (step 1 of 1)')
  // 5: in progress: a warning with its step, no change
  assert log.contains('rollout of green in progress at step 1 of 1 (50%)')
  // 20: promoted by the runtime's checks, with its decisions
  assert log.contains('hello-rollout/live: rollout of v2 (release green) from v1: PROMOTED')
  assert log =~ /promote -> 100% after [0-9]+ samples: every check passed at step 1/
  // 21: after the promotion, the plan is clean (the detailed exit code passed too)
  def promoted = log.indexOf('rollout of v2 (release green) from v1: PROMOTED')
  assert log.indexOf('[INFO] No changes: the platform matches Git.', promoted) > promoted
  // 22: fc:deploy started a rollout instead of moving the alias, and says how to follow it
  assert log.contains('Published version 3')
  assert log.contains('Rolling out v3 on alias live (-Dfc.rollout=true with the default strategy'
      + ' (steps 10%, 50%; 100 samples each)): 10% now, step 1 of 2')
  assert log.contains('Follow the rollout with: mvn fc:rollout -Dfc.alias=live')
  // 23: it was running at 10% and is aborted
  assert log =~ /hello-rollout\/live: rollout of v3( \(release [a-z]+\))? from v2: ABORTED/
  // 24: the apply waited for its rollout, printed it, and failed when it ended rolled back
  assert log.contains('waiting up to 2m for the rollout(s) of [hello-rollout/stage]')
  assert log =~ /hello-rollout\/stage v[0-9]+: PROGRESSING at step 1 of 1 \(50%\)/
  assert log =~ /rollout failed in quiet:\s+hello-rollout\/stage v[0-9]+: ROLLED_BACK: .*inconclusive/
} finally {
  evaluate(new File(basedir, '../../../src/it/shared/stop.groovy'))
}
return true
