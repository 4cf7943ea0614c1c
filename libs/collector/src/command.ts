import { TUNABLE_NAMES } from '@memfleet/procfs';
import { MARKER_PREFIX, OUTPUT_MAGIC } from './wire-format';

/**
 * The one command a collection runs. It is a constant: nothing from a host record or a request is
 * ever spliced into it, so a host's name, address or labels cannot become shell syntax.
 *
 * It runs under `sh -c '...'` so the remote login shell (bash, dash, busybox ash, even fish or csh)
 * only has to parse one quoted word; the script itself is POSIX sh and holds no single quote.
 *
 * Framing (see wire-format.ts): the first line carries a nonce read from the remote kernel
 * (/proc/sys/kernel/random/uuid), and each section ends at "\n@@MF-<nonce> E ...". File content is
 * passed through `cat` untouched, so any byte (NUL included) and a missing final newline survive;
 * a file cannot forge the end marker because it cannot know the nonce. Each section's exit status
 * and stderr (one line, 300 chars) are reported in its trailer, so a file that cannot be read
 * fails alone. Only POSIX utilities and options busybox also has are used (busybox tr has no
 * [:print:] class, hence the explicit " -~" range).
 */

/** Section names that are not files: commands whose stdout is the section. */
export const COMMAND_SECTIONS = {
  clock: 'clock',
  ps: 'ps',
  pageSize: 'pagesize',
  kernelRelease: 'kernel',
} as const;

/** Files that are mode 0400 root: read through `sudo -n` in the sudo variant. */
export const ROOT_ONLY_FILES = ['/proc/slabinfo', '/proc/pagetypeinfo'] as const;

/** Every section in the order the command emits them. */
export const SECTION_ORDER: readonly string[] = [
  COMMAND_SECTIONS.clock,
  '/proc/uptime',
  '/proc/meminfo',
  '/proc/slabinfo',
  '/proc/buddyinfo',
  '/proc/zoneinfo',
  '/proc/pagetypeinfo',
  '/proc/vmstat',
  ...TUNABLE_NAMES.map((t) => `/proc/sys/vm/${t}`),
  COMMAND_SECTIONS.ps,
  COMMAND_SECTIONS.pageSize,
  COMMAND_SECTIONS.kernelRelease,
];

function buildScript(useSudo: boolean): string {
  const lines = [
    'LC_ALL=C',
    'export LC_ALL',
    'PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH',
    // Root needs no sudo (and root-only images often lack it): $R expands to nothing then.
    ...(useSudo ? ['R=', '[ "$(id -u)" = 0 ] || R="sudo -n"'] : []),
    'n=$(cat /proc/sys/kernel/random/uuid 2>/dev/null)',
    '[ -n "$n" ] || n=$$.$(date +%s)',
    `M="${MARKER_PREFIX}$n"`,
    // s NAME CMD...: section header, CMD stdout untouched (fd 3), stderr captured as the reason.
    's() { p=$1; shift; printf "%s B %s\\n" "$M" "$p"; { e=$("$@" 2>&1 >&3); c=$?; } 3>&1;' +
      ' [ -z "$e" ] || e=$(printf %s "$e" | tr -c " -~" " " | cut -c1-300);' +
      ' printf "\\n%s E %s %s %s\\n" "$M" "$c" "$p" "$e"; }',
    `printf "${OUTPUT_MAGIC}%s\\n" "$n"`,
    's clock date +%s.%N',
    's /proc/uptime cat /proc/uptime',
    's /proc/meminfo cat /proc/meminfo',
    `s /proc/slabinfo ${useSudo ? '$R ' : ''}cat /proc/slabinfo`,
    's /proc/buddyinfo cat /proc/buddyinfo',
    's /proc/zoneinfo cat /proc/zoneinfo',
    `s /proc/pagetypeinfo ${useSudo ? '$R ' : ''}cat /proc/pagetypeinfo`,
    's /proc/vmstat cat /proc/vmstat',
    `for t in ${TUNABLE_NAMES.join(' ')}; do s /proc/sys/vm/$t cat /proc/sys/vm/$t; done`,
    's ps ps -eo pid=,rss=,comm=',
    's pagesize getconf PAGESIZE',
    's kernel uname -r',
    'printf "%s Z\\n" "$M"',
  ];
  return `sh -c '${lines.join('; ')}'`;
}

/** Reads every file as the login user; slabinfo and pagetypeinfo fail per section unless root. */
export const COLLECT_COMMAND: string = buildScript(false);
/**
 * Same, but a non-root login reads /proc/slabinfo and /proc/pagetypeinfo through `sudo -n cat`
 * (never prompts; sudoers can allow exactly those two commands).
 */
export const COLLECT_COMMAND_SUDO: string = buildScript(true);

export function collectCommand(useSudo: boolean): string {
  return useSudo ? COLLECT_COMMAND_SUDO : COLLECT_COMMAND;
}
