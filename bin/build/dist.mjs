#!/usr/bin/env node
// After `tsc -p tsconfig.build.json`: finish dist/ for publishing (plain Node, no tooling).
// - .d.ts files: relative specifiers ending in .ts become .js (tsc rewrites them in .js output only), so a
//   consumer's strict tsc resolves every public type without allowImportingTsExtensions;
// - the config files the built-in scenarios read (scenarios/tutorial/*.conf) go next to the compiled scenarios;
// - dist/bin/sentinel-sim.js: the published executable, which imports the compiled CLI.
import { chmodSync, cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');

function walk(dir, visit) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (p !== join(DIST, 'viewer')) walk(p, visit);
    } else visit(p);
  }
}

let rewritten = 0;
const SPEC = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+?)\.ts(['"])/g;
walk(DIST, (p) => {
  if (!p.endsWith('.d.ts')) return;
  const text = readFileSync(p, 'utf8');
  const out = text.replace(SPEC, (_m, a, spec, b) => `${a}${spec}.js${b}`);
  if (out !== text) {
    writeFileSync(p, out);
    rewritten++;
  }
});

// config files and other non-TypeScript files a built-in scenario reads
walk(join(ROOT, 'scenarios'), (p) => {
  if (p.endsWith('.ts')) return;
  const to = join(DIST, p.slice(ROOT.length + 1));
  cpSync(p, to);
});

const bin = join(DIST, 'bin', 'sentinel-sim.js');
writeFileSync(bin, "#!/usr/bin/env node\n// The published `sentinel-sim` executable: the compiled CLI, plain Node, no TypeScript tooling.\nimport './cli.js';\n");
chmodSync(bin, 0o755);
console.log(`dist: ${rewritten} declaration file(s) rewritten to .js specifiers, ${bin.slice(ROOT.length + 1)} written`);
