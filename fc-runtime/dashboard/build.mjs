// Builds the dashboard into the runtime's resources (committed), or with --check verifies that
// the committed files are what these sources build to, so the jar never serves a stale bundle.
import { build } from 'esbuild';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, '../src/main/resources/io/fctoolkit/runtime/dashboard');
const check = process.argv.includes('--check');

const result = await build({
  entryPoints: { app: path.join(here, 'src/main.js') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'eof',
  charset: 'utf8',
  outdir,
  write: false,
  logLevel: 'warning',
});

const files = new Map();
for (const f of result.outputFiles) {
  files.set(path.basename(f.path), Buffer.from(f.contents));
}
files.set('index.html', await readFile(path.join(here, 'src/index.html')));

let stale = [];
for (const [name, bytes] of files) {
  const target = path.join(outdir, name);
  if (check) {
    let committed = null;
    try {
      committed = await readFile(target);
    } catch {
      // missing counts as stale
    }
    if (committed === null || !committed.equals(bytes)) {
      stale.push(name);
    }
  } else {
    await mkdir(outdir, { recursive: true });
    await writeFile(target, bytes);
  }
}
if (check) {
  if (stale.length > 0) {
    console.error(
      `dashboard bundle is stale: ${stale.join(', ')} in ${outdir} differ from what the sources ` +
        'build to; run (cd fc-runtime/dashboard && npm ci && npm run build) and commit the result');
    process.exit(1);
  }
  console.log(`dashboard bundle matches its sources (${[...files.keys()].join(', ')})`);
} else {
  console.log(`dashboard built into ${outdir}: ${[...files.keys()].join(', ')}`);
}
