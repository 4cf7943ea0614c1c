import { failed, ok, type Parsed } from './parse-result';
import { Scanner, numberProblem } from './scan';
import type { ProcessList, ProcessMemory } from './types';

const KIB = 1024;
const MAX_KB = Math.floor(Number.MAX_SAFE_INTEGER / KIB);

/**
 * `ps -eo pid=,rss=,comm=` (what the collector runs): `PID RSS COMM` per line, no header. RSS is
 * KiB and becomes bytes; COMM is the rest of the line and may hold spaces and slashes
 * (`Web Content`, `kworker/0:1H`). Kernel threads have RSS 0.
 *
 * A listing with a header row that names PID and RSS (`ps aux`, `ps alx` in sosreports) is read
 * by column; its last column (COMMAND) is the rest of the line, so `comm` is the whole command
 * line there.
 */
export function parsePs(text: string, file = 'ps'): Parsed<ProcessList> {
  const s = new Scanner(text);
  if (s.end === 0)
    return failed(
      file,
      1,
      'empty: ps lists at least itself, so an empty output means a broken capture',
    );
  s.nextLine();
  s.skipSpaces();
  const c = s.peek();
  if (c < 48 || c > 57) return parseWithHeader(s, file);
  s.pos = s.lineStart;
  const processes: ProcessMemory[] = [];
  do {
    if (s.isLineBlank()) continue;
    const pid = s.uint();
    if (pid < 0) return failed(file, s.line, numberProblem(pid, 'pid'));
    const rss = s.uint();
    if (rss < 0 || rss > MAX_KB)
      return failed(file, s.line, numberProblem(rss < 0 ? rss : -2, 'rss'));
    s.skipSpaces();
    if (s.atEol()) return failed(file, s.line, `missing comm after pid ${pid}`);
    processes.push({ pid, rssBytes: rss * KIB, comm: s.text.slice(s.pos, s.lineEnd) });
  } while (s.nextLine());
  return ok({ processes });
}

function parseWithHeader(s: Scanner, file: string): Parsed<ProcessList> {
  const header: string[] = [];
  s.pos = s.lineStart;
  while (!s.isLineBlank()) header.push(s.token());
  const pidCol = header.indexOf('PID');
  const rssCol = header.findIndex((h) => h === 'RSS' || h === 'RSZ');
  if (pidCol < 0 || rssCol < 0) {
    return failed(file, s.line, `not ps output with PID and RSS columns: ${s.lineText()}`);
  }
  const last = header.length - 1;
  if (pidCol === last || rssCol === last)
    return failed(file, s.line, 'PID and RSS must come before the command');
  const processes: ProcessMemory[] = [];
  while (s.nextLine()) {
    if (s.isLineBlank()) continue;
    s.pos = s.lineStart;
    let pid = -1;
    let rss = -1;
    for (let col = 0; col < last; col++) {
      if (col === pidCol) pid = s.uint();
      else if (col === rssCol) rss = s.uint();
      else if (s.token() === '') return failed(file, s.line, `missing column ${header[col]}`);
    }
    if (pid < 0) return failed(file, s.line, numberProblem(pid, 'PID'));
    if (rss < 0 || rss > MAX_KB)
      return failed(file, s.line, numberProblem(rss < 0 ? rss : -2, 'RSS'));
    s.skipSpaces();
    processes.push({ pid, rssBytes: rss * KIB, comm: s.text.slice(s.pos, s.lineEnd) });
  }
  return ok({ processes });
}
