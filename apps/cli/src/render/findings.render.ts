import type { Evidence, Finding, Severity } from '@memfleet/analysis';
import type { Style } from './style';

const ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Integers as they are; fractions to a few decimals (JSON keeps the full value). */
const round = (v: number, decimals: number): string =>
  Number.isInteger(v) ? String(v) : String(Number(v.toFixed(decimals)));

function evidenceText(e: Evidence, formatBytes: (n: number) => string): string {
  switch (e.unit) {
    case 'bytes':
      return `${e.name} ${formatBytes(e.value)}`;
    case 'bytes/hour':
      return `${e.name} ${formatBytes(e.value)}/h`;
    case 'percent':
      return `${e.name} ${round(e.value, 1)} %`;
    case 'kB':
      return `${e.name} ${e.value} kB`;
    case 'count':
    case 'index':
      return `${e.name} ${round(e.value, 3)}`;
    case 'ratio':
      return `${e.name} ${round(e.value, 3)}`;
    default:
      return `${e.name} ${e.value} ${e.unit}`;
  }
}

/** Findings last, worst first, each with its evidence and what to do. */
export function renderFindings(
  findings: readonly Finding[],
  s: Style,
  formatBytes: (n: number) => string,
): string[] {
  const out = [s.bold('Findings')];
  if (findings.length === 0) {
    out.push('  none: nothing in this snapshot needs attention');
    return out;
  }
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  for (const f of sorted) {
    const tag = `[${f.severity.toUpperCase()}]`;
    const colored =
      f.severity === 'critical'
        ? s.red(tag)
        : f.severity === 'warning'
          ? s.yellow(tag)
          : s.cyan(tag);
    out.push(`  ${colored} ${f.kind} ${f.subject}: ${f.summary}`);
    if (f.evidence.length > 0) {
      out.push(
        s.dim(`      evidence: ${f.evidence.map((e) => evidenceText(e, formatBytes)).join(', ')}`),
      );
    }
    out.push(`      advice: ${f.advice}`);
  }
  return out;
}
