import { type Scanner, numberProblem } from './scan';

/**
 * Reads `Node N, zone NAME` (also the `Node    N, zone     NAME` spacing of pagetypeinfo).
 * Returns the reason as a string when the line does not start that way.
 */
export function readNodeZone(s: Scanner): { node: number; zone: string } | string {
  s.pos = s.lineStart;
  if (!s.accept('Node')) return `expected 'Node N, zone NAME': ${s.lineText()}`;
  const node = s.digits();
  if (node < 0) return numberProblem(node, 'node number');
  if (!s.accept(',') || !s.accept('zone')) return `expected ', zone NAME': ${s.lineText()}`;
  let zone = s.token();
  if (zone.endsWith(',')) {
    zone = zone.slice(0, -1);
    s.pos--; // leave the comma for the caller (pagetypeinfo's ', type')
  }
  if (zone === '') return `missing zone name: ${s.lineText()}`;
  return { node, zone };
}
