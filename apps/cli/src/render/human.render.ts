import { formatBytes } from '@memfleet/analysis';
import type { InspectReport, ReportSection } from '../report/inspect-report.types';
import { renderAccounting } from './accounting.render';
import { renderFindings } from './findings.render';
import { renderFragmentation } from './fragmentation.render';
import { renderSlab } from './slab.render';
import { makeStyle, type Style } from './style';

export interface HumanOptions {
  readonly color: boolean;
}

/** The default output: header, accounting, slab, fragmentation, then findings and advice. */
export function renderHuman(report: InspectReport, options: HumanOptions): string {
  const s = makeStyle(options.color);
  const blocks: string[][] = [header(report, s)];
  const section = (name: ReportSection, title: string, render: () => string[]): void => {
    const status = report.sections[name];
    blocks.push(
      status.available ? render() : [s.bold(title), s.yellow(`  unavailable: ${status.reason}`)],
    );
  };
  section('accounting', 'Memory', () =>
    report.accounting ? renderAccounting(report.accounting, s) : [],
  );
  section('slab', 'Slab', () => (report.slab ? renderSlab(report.slab, s) : []));
  section('fragmentation', 'Fragmentation', () =>
    report.fragmentation ? renderFragmentation(report.fragmentation, s) : [],
  );
  blocks.push(renderFindings(report.findings, s, formatBytes));
  return blocks.map((b) => b.join('\n')).join('\n\n') + '\n';
}

function header(r: InspectReport, s: Style): string[] {
  const from =
    r.source.kind === 'live' ? 'this machine' : `${r.source.kind} ${r.source.path ?? ''}`.trim();
  const parts = [
    `memfleet inspect: ${from}`,
    r.kernelRelease ? `kernel ${r.kernelRelease}` : null,
    r.collectedAt ? `at ${r.collectedAt}` : null,
    `page size ${formatBytes(r.pageSize)}`,
  ].filter((p): p is string => p !== null);
  const out = [s.bold(parts.join(', '))];
  for (const [name, st] of Object.entries(r.inputs)) {
    if (!st.available) out.push(s.dim(`not read: ${name}: ${st.reason}`));
  }
  for (const note of r.notes) out.push(s.dim(`note: ${note}`));
  return out;
}
