import type { Meminfo } from '@memfleet/procfs';

/** A byte-valued meminfo field (the parser converts kB), or undefined when the kernel lacks it. */
export function meminfoBytes(m: Meminfo, name: string): number | undefined {
  if (m.countFields.includes(name)) return undefined;
  return m.fields[name];
}

/** A unit-less meminfo field (HugePages_Total/Free/Rsvd/Surp): a page count. */
export function meminfoCount(m: Meminfo, name: string): number | undefined {
  return m.fields[name];
}
