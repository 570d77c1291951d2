// The pictures of the documentation (README.md, docs/), regenerated from real runs:
//
//   npx tsx bench/docs-pictures.ts                    both pictures
//   npx tsx bench/docs-pictures.ts --only replay      docs/img/web-replay-failover.png
//   npx tsx bench/docs-pictures.ts --only search      docs/img/property-search.svg
//   npx tsx bench/docs-pictures.ts --from 1 --runs 100   the seed range of the property search
//
// replay: the web replay (built by Vite, served on loopback) in Debian's /usr/bin/chromium driven by
// playwright-core (the browser tests' helpers, test/viz/browser.ts), on the tutorial failover seed 1, stopped
// between the leader's +selected-slave and +promoted-slave, with the leader Sentinel selected in the inspector.
// search: `sentinel-sim check`'s runs (caseForSeed → runCase, every property) in this process, one column per
// seed: each property's verdict, the Sentinel events and fault kinds each run reached, and the acknowledged
// writes each run lost. The SVG is a pure function of the seed range (same seeds, same bytes).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaleBand, scaleLinear } from 'd3';
import { caseForSeed } from '../engine/check/property/generators.ts';
import { PROPERTIES, runCase } from '../engine/check/property/run.ts';
import { nodeSha256 } from '../bin/nodeHash.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const IMG = join(ROOT, 'docs/img');

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = opt('--only');
const from = Number(opt('--from') ?? 1);
const runs = Number(opt('--runs') ?? 100);
if (only !== undefined && only !== 'replay' && only !== 'search') throw new Error(`--only replay|search, got '${only}'`);
if (!Number.isInteger(from) || !Number.isInteger(runs) || runs < 1) throw new Error('--from and --runs must be integers, --runs ≥ 1');

mkdirSync(IMG, { recursive: true });

// ---- (a) the web replay mid-failover ---------------------------------------------------------------

async function replayScreenshot(): Promise<string> {
  const { buildAndServe, hasChromium, launch, CHROMIUM } = await import('../test/viz/browser.ts');
  const { runLibrary } = await import('../test/viz/support.ts');
  const { default: tutorial } = await import('../scenarios/tutorial-failover.ts');
  if (!hasChromium) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium; no browser is downloaded)`);

  // the instant: halfway between the leader's +selected-slave and +promoted-slave (the replica is being
  // promoted; the old master is down; every Sentinel holds it odown and has voted in the new epoch)
  const records = runLibrary(tutorial).sim.trace.records();
  const at = (event: string) => records.find((r) => r.k === 'log' && r.event === event)!;
  const selected = at('+selected-slave');
  const promoted = at('+promoted-slave');
  const t = Math.round((selected.t + promoted.t) / 2);
  const leader = selected.k === 'log' ? selected.node : '';

  const srv = await buildAndServe();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${srv.url}?scenario=tutorial-failover&seed=1&t=${t}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.waitForFunction((want) => Math.abs((window as unknown as { sentinelSim: { player: { t: number } } }).sentinelSim.player.t - want) < 1000, t, { timeout: 10_000 });
    // the leader in the inspector: its epoch, vote and failover state
    await page.locator(`g.node[data-node="${leader}"] path.shape`).click();
    await page.keyboard.press('Escape'); // close the live-mode action menu the click opened
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()); // no focus ring
    await page.mouse.move(0, 0);
    await page.waitForTimeout(500);
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    const out = join(IMG, 'web-replay-failover.png');
    await page.screenshot({ path: out, fullPage: true });
    return `${out} (tutorial-failover seed 1 at t=${t} µs, leader ${leader} selected)`;
  } finally {
    await browser.close();
    await srv.close();
    rmSync(srv.dist, { recursive: true, force: true });
  }
}

// ---- (b) a property search: verdicts, coverage and lost writes per seed ----------------------------

/** Rows of the coverage matrix (Sentinel events, then fault kinds), in this order. */
const EVENT_ROWS: [string, string[]][] = [
  ['+sdown', ['+sdown']],
  ['+odown', ['+odown']],
  ['+try-failover', ['+try-failover']],
  ['+elected-leader', ['+elected-leader']],
  ['-failover-abort-*', ['-failover-abort-not-elected', '-failover-abort-no-good-slave', '-failover-abort-slave-timeout']],
  ['+promoted-slave', ['+promoted-slave']],
  ['+failover-end(-for-timeout)', ['+failover-end', '+failover-end-for-timeout']],
  ['+switch-master', ['+switch-master']],
  ['+config-update-from', ['+config-update-from']],
  ['+convert-to-slave', ['+convert-to-slave']],
  ['+tilt', ['+tilt']],
];
const FAULT_ROWS: [string, string[]][] = [
  ['kill / restart', ['fault:kill', 'fault:restart']],
  ['pause / resume', ['fault:pause']],
  ['host down / up', ['fault:host-down']],
  ['partition / isolate', ['fault:partition', 'fault:isolate']],
  ['one-way block', ['fault:block']],
  ['lossy / slow link', ['fault:set-link']],
  ['clock jump', ['fault:clock-jump']],
];

interface SeedRun {
  seed: number;
  verdicts: Record<string, boolean>;
  reached: Set<string>;
  acknowledged: number;
  lost: number;
  dataClass: string;
}

function search(): SeedRun[] {
  const out: SeedRun[] = [];
  for (let seed = from; seed < from + runs; seed++) {
    const o = runCase(caseForSeed(seed), { seed: String(seed), hasher: nodeSha256 });
    const verdicts: Record<string, boolean> = {};
    for (const r of o.results) verdicts[r.name] = r.ok;
    const fig = o.results.find((r) => r.name === 'data')?.figures ?? {};
    out.push({
      seed,
      verdicts,
      reached: new Set(o.coverage),
      acknowledged: Number(fig.acknowledged ?? 0),
      lost: Number(fig.lost ?? 0),
      dataClass: String(fig.class ?? ''),
    });
    if ((seed - from + 1) % 10 === 0 || seed === from + runs - 1) process.stderr.write(`search: ${seed - from + 1}/${runs} runs\n`);
  }
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** Okabe–Ito, as in the web replay. */
const C = { pass: '#009E73', fail: '#D55E00', event: '#0072B2', fault: '#E69F00', lost: '#CC79A7', grid: '#e6e6e6', text: '#222', dim: '#666' };

function searchSvg(rs: SeedRun[]): string {
  const cell = rs.length <= 60 ? 10 : rs.length <= 120 ? 7 : 4;
  const labelW = 200;
  const totalW = 70;
  const rowH = 14;
  const gap = 16;
  const x = scaleBand<number>()
    .domain(rs.map((r) => r.seed))
    .range([labelW, labelW + cell * rs.length])
    .paddingInner(0.15);
  const right = labelW + cell * rs.length;
  const width = right + totalW + 10;
  const L: string[] = [];
  let y = 54;

  const title = `A property search: ${rs.length} generated fault schedules (seeds ${rs[0]!.seed}–${rs[rs.length - 1]!.seed}), one column per seed`;
  L.push(`<text x="10" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`);
  L.push(
    `<text x="10" y="40" font-size="11" fill="${C.dim}">${esc('the runs of `sentinel-sim check --seed ' + rs[0]!.seed + ' --runs ' + rs.length + '`: generated cluster, clients, 120 s of faults, quiet period, every property checked')}</text>`,
  );

  const section = (name: string) => {
    y += 4;
    L.push(`<text x="10" y="${y + 10}" font-size="11" font-weight="bold">${esc(name)}</text>`);
    L.push(`<text x="${right + totalW}" y="${y + 10}" font-size="10" fill="${C.dim}" text-anchor="end">runs</text>`);
    y += rowH;
  };
  // a row is one background rect in the usual colour, the exceptions drawn over it; the white gaps
  // between columns are one path over the whole matrix section (small files: ~1 rect per hit)
  const row = (label: string, on: (r: SeedRun) => boolean, colour: string, offColour = C.grid, count?: string, background: 'on' | 'off' = 'off') => {
    L.push(`<text x="${labelW - 6}" y="${y + rowH - 4}" font-size="11" text-anchor="end" font-family="monospace">${esc(label)}</text>`);
    L.push(`<rect x="${labelW}" y="${y + 1}" width="${right - labelW}" height="${rowH - 2}" fill="${background === 'on' ? colour : offColour}"/>`);
    let n = 0;
    for (const r of rs) {
      const hit = on(r);
      if (hit) n++;
      if (hit !== (background === 'on'))
        L.push(`<rect x="${fmt(x(r.seed)! - 0.5)}" y="${y + 1}" width="${fmt(x.step() + 0.5)}" height="${rowH - 2}" fill="${hit ? colour : offColour}"/>`);
    }
    L.push(`<text x="${right + totalW}" y="${y + rowH - 4}" font-size="11" text-anchor="end">${esc(count ?? `${n} (${Math.round((100 * n) / rs.length)} %)`)}</text>`);
    y += rowH;
  };
  const gaps = (top: number, bottom: number) => {
    const d = rs.slice(1).map((r) => `M${fmt(x(r.seed)! - (x.step() - x.bandwidth()) / 2)} ${top}V${bottom}`).join('');
    L.push(`<path d="${d}" stroke="#fff" stroke-width="${fmt(x.step() - x.bandwidth())}"/>`);
  };
  const matrix = (name: string, draw: () => void) => {
    section(name);
    const top = y;
    draw();
    gaps(top, y);
  };

  matrix('property verdicts (green: held, vermillion: failed)', () => {
    for (const p of PROPERTIES) {
      const failed = rs.filter((r) => r.verdicts[p] === false).length;
      row(p, (r) => r.verdicts[p] !== false, C.pass, C.fail, failed === 0 ? `${rs.length} ok` : `${failed} failed`, 'on');
    }
  });
  y += gap;
  matrix('Sentinel events reached (by any Sentinel)', () => {
    for (const [label, evs] of EVENT_ROWS) row(label, (r) => evs.some((e) => r.reached.has(e)), C.event);
  });
  y += gap;
  matrix('faults injected', () => {
    for (const [label, evs] of FAULT_ROWS) row(label, (r) => evs.some((e) => r.reached.has(e)), C.fault);
  });
  y += gap;

  // acknowledged writes lost per run (reported; the data property judges only the cases where loss is a bug)
  section('acknowledged writes lost per run (reported; judged only where no fault explains them)');
  y += 8;
  const barH = 70;
  const maxLost = Math.max(1, ...rs.map((r) => r.lost));
  const yl = scaleLinear().domain([0, maxLost]).nice(3).range([y + barH, y]);
  for (const tick of yl.ticks(3)) {
    L.push(`<line x1="${labelW}" x2="${right}" y1="${fmt(yl(tick))}" y2="${fmt(yl(tick))}" stroke="${C.grid}"/>`);
    L.push(`<text x="${labelW - 6}" y="${fmt(yl(tick) + 4)}" font-size="10" text-anchor="end" fill="${C.dim}">${tick}</text>`);
  }
  for (const r of rs) {
    if (r.lost === 0) continue;
    L.push(`<rect x="${fmt(x(r.seed)!)}" y="${fmt(yl(r.lost))}" width="${fmt(x.bandwidth())}" height="${fmt(yl(0) - yl(r.lost))}" fill="${C.lost}"><title>seed ${r.seed}: ${r.lost} of ${r.acknowledged} acknowledged writes lost (${esc(r.dataClass)})</title></rect>`);
  }
  const withLoss = rs.filter((r) => r.lost > 0).length;
  const lostSum = rs.reduce((a, r) => a + r.lost, 0);
  const ackSum = rs.reduce((a, r) => a + r.acknowledged, 0);
  L.push(`<text x="${right + totalW}" y="${y + 12}" font-size="11" text-anchor="end">${withLoss} runs</text>`);
  L.push(`<text x="${right + totalW}" y="${y + 26}" font-size="10" text-anchor="end" fill="${C.dim}">${lostSum} of ${ackSum} acked</text>`);
  y += barH + 4;
  // seed axis
  const every = rs.length <= 60 ? 5 : 10;
  for (const r of rs)
    if ((r.seed - rs[0]!.seed) % every === 0 || r === rs[rs.length - 1])
      L.push(`<text x="${fmt(x(r.seed)! + x.bandwidth() / 2)}" y="${y + 12}" font-size="10" text-anchor="middle" fill="${C.dim}">${r.seed}</text>`);
  L.push(`<text x="${fmt((labelW + right) / 2)}" y="${y + 28}" font-size="11" text-anchor="middle">seed</text>`);
  y += 40;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${y}" viewBox="0 0 ${fmt(width)} ${y}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" fill="${C.text}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...L,
    '</svg>',
    '',
  ].join('\n');
}

// ---- main --------------------------------------------------------------------------------------------

if (only !== 'search') console.log(`wrote ${await replayScreenshot()}`);
if (only !== 'replay') {
  const out = join(IMG, 'property-search.svg');
  writeFileSync(out, searchSvg(search()));
  console.log(`wrote ${out} (seeds ${from}–${from + runs - 1})`);
}
