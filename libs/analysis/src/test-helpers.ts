import type { Meminfo, ProcessList } from '@memfleet/procfs';

/** Synthetic inputs for specs: kB values as the kernel prints them, converted like the parser does. */
export function meminfoFromKb(kb: Record<string, number>): Meminfo {
  const fields: Record<string, number> = {};
  const countFields: string[] = [];
  for (const [name, value] of Object.entries(kb)) {
    if (name.startsWith('HugePages_')) {
      fields[name] = value;
      countFields.push(name);
    } else {
      fields[name] = value * 1024;
    }
  }
  return { fields, countFields };
}

export function processesFromKb(rssKb: readonly number[]): ProcessList {
  return {
    processes: rssKb.map((rss, i) => ({ pid: i + 1, rssBytes: rss * 1024, comm: `p${i + 1}` })),
  };
}
