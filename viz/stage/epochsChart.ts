// Current epoch per Sentinel over time (spec viz.md §4), on the timeline's zoomed window, with the playhead.
import * as d3 from 'd3';
import { SERIES } from './palette.ts';
import { addr } from './labels.ts';

const H = 110;
/** Width of one key (a line and an ip:port). */
const KEY_W = 150;
const M = { left: 46, right: 10, top: 8, bottom: 18 };

export class EpochsChart {
  private svg;
  private g;
  private width = 300;
  private series: [string, { t: number; epoch: number }[]][] = [];
  private endT = 1;
  private drawn = '';
  private x = d3.scaleLinear();

  constructor(container: HTMLElement) {
    this.svg = d3.select(container).append('svg').attr('class', 'epochs').attr('height', H).attr('aria-label', 'current epoch of each Sentinel over time');
    this.g = this.svg.append('g').attr('transform', `translate(${M.left},${M.top})`);
    this.g.append('g').attr('class', 'y-axis');
    this.g.append('g').attr('class', 'lines');
    this.g.append('line').attr('class', 'playhead');
    this.g.append('g').attr('class', 'keys');
    new ResizeObserver(() => (this.width = Math.max(160, container.clientWidth - M.left - M.right))).observe(container);
  }

  setData(epochs: Map<string, { t: number; epoch: number }[]>, endT: number): void {
    this.series = [...epochs.entries()].sort((a, b) => a[0].localeCompare(b[0]));
    this.endT = endT;
  }

  render(t: number, domain: [number, number]): void {
    const w = this.width;
    const h = H - M.top - M.bottom;
    const key = `${domain[0]}|${domain[1]}|${w}|${this.endT}|${this.series.map(([, s]) => s.length).join(',')}`;
    if (key !== this.drawn) {
      this.drawn = key;
      this.draw(domain, w, h);
    }
    const px = this.x(t);
    this.g.select('line.playhead').attr('x1', px).attr('x2', px).attr('y1', 0).attr('y2', h);
  }

  private draw(domain: [number, number], w: number, h: number): void {
    // keys in as many rows as they need (ip:port: five Sentinels on one port are told apart by their IP)
    const perRow = Math.max(1, Math.floor((w + M.left - 8) / KEY_W));
    this.svg.attr('width', w + M.left + M.right).attr('height', H + Math.max(0, Math.ceil(this.series.length / perRow) - 1) * 15);
    const all = this.series.flatMap(([, s]) => s.map((p) => p.epoch));
    const lo = all.length ? d3.min(all)! : 0;
    const hi = all.length ? d3.max(all)! : 1;
    const x = (this.x = d3.scaleLinear().domain(domain).range([0, w]).clamp(true));
    const y = d3.scaleLinear().domain([lo - 0.5, hi + 0.5]).range([h, 0]);
    const ticks = d3.range(Math.ceil(lo), Math.floor(hi) + 1, Math.max(1, Math.ceil((hi - lo + 1) / 4)));
    this.g.select<SVGGElement>('g.y-axis').call(d3.axisLeft(y).tickValues(ticks).tickFormat(d3.format('d')));
    const line = d3
      .line<{ t: number; epoch: number }>()
      .curve(d3.curveStepAfter)
      .x((p) => x(p.t))
      .y((p, i) => y(p.epoch) + (i >= 0 ? 0 : 0));
    this.g
      .select('g.lines')
      .selectAll<SVGPathElement, [string, { t: number; epoch: number }[]]>('path')
      .data(this.series, (d) => d[0])
      .join('path')
      .attr('fill', 'none')
      .attr('stroke', (_d, i) => SERIES[i % SERIES.length])
      .attr('stroke-dasharray', (_d, i) => ['', '6 3', '2 2', '8 2 2 2'][i % 4])
      .attr('stroke-width', 2)
      .attr('d', ([, s], i) => line([...s, { t: this.endT, epoch: s[s.length - 1]?.epoch ?? 0 }].map((p) => ({ ...p, epoch: p.epoch + (i - (this.series.length - 1) / 2) * 0.06 }))));
    // each key: a short line in the series' colour and dash, then the port in dark text (readable at 4.5:1)
    const keys = this.g
      .select('g.keys')
      .selectAll<SVGGElement, [string, unknown]>('g.key')
      .data(this.series, (d) => d[0])
      .join((enter) => {
        const k = enter.append('g').attr('class', 'key');
        k.append('line').attr('x1', 0).attr('x2', 16).attr('stroke-width', 2);
        k.append('text').attr('x', 20).attr('dominant-baseline', 'central');
        return k;
      })
      .attr('transform', (_d, i) => `translate(${4 - M.left + (i % perRow) * KEY_W},${h + 12 + Math.floor(i / perRow) * 15})`);
    keys.select('line').attr('stroke', (_d, i) => SERIES[i % SERIES.length]).attr('stroke-dasharray', (_d, i) => ['', '6 3', '2 2', '8 2 2 2'][i % 4]);
    keys.select('text').attr('fill', '#222').text(([name]) => addr(name));
  }
}
