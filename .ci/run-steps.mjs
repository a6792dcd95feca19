// Writes every run: step of the given workflows to its own file for shellcheck, as the runner runs
// it (bash -e with pipefail, the default shell of ubuntu runners), with the step's env: names
// declared so that shellcheck knows them. Usage: node run-steps.mjs <yaml module dir> <out> <files>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createRequire } from 'node:module';

const [yamlDir, out, ...files] = process.argv.slice(2);
const { parse } = createRequire(import.meta.url)(`${process.cwd()}/${yamlDir}`);
mkdirSync(out, { recursive: true });
let count = 0;
for (const file of files) {
  const workflow = parse(readFileSync(file, 'utf8'));
  for (const [job, spec] of Object.entries(workflow.jobs ?? {})) {
    (spec.steps ?? []).forEach((step, index) => {
      if (typeof step.run !== 'string') return;
      const shell = step.shell ?? spec.defaults?.run?.shell ?? workflow.defaults?.run?.shell ?? 'bash';
      if (!/^(bash|sh)\b/.test(shell)) return;
      const env = { ...(workflow.env ?? {}), ...(spec.env ?? {}), ...(step.env ?? {}) };
      const declared = Object.keys(env).map((name) => `: "\${${name}:?}"`).join('\n');
      const header = shell.startsWith('sh') ? '#!/bin/sh\nset -e' : '#!/usr/bin/env bash\nset -eo pipefail';
      const name = `${basename(file, '.yml')}--${job}--${index + 1}.sh`;
      writeFileSync(`${out}/${name}`, `${header}\n# ${file}: ${job}: ${step.name ?? step.uses ?? index + 1}\n${declared}\n${step.run}\n`);
      count++;
    });
  }
}
console.log(`run-steps: ${count} run: steps written to ${out}`);
