import {
  ProcfsParseError,
  type BuddyZone,
  type Parsed,
  type PagetypeBlocks,
  type PagetypeFree,
  type ProcessMemory,
  type SlabAnomaly,
  type SlabCache,
  type ZoneinfoZone,
} from '@memfleet/procfs';
import { CodecError } from './byte-io';
import { FlatReader, type FlatFrame } from './flat';
import { SLAB_OPTIONAL, SLAB_VERSIONS, ZONE_OPTIONAL } from './flatten';
import type { KeyDictionary } from './key-dictionary';
import type { SectionName, SnapshotContent } from './snapshot-content';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Outcome = { kind: 'ok' } | { kind: 'unavailable'; reason: string } | ErrorOutcome;
type ErrorOutcome = { kind: 'error'; file: string; line: number; reason: string };

/** Optional fields of a slab shape string, after objSize,objPerSlab,pagesPerSlab. */
const SHAPE_OPTIONAL = ['limit', 'batchCount', 'sharedFactor', 'sharedAvail'] as const;
const SLAB_TAGS = new Map<string, keyof SlabCache>(SLAB_OPTIONAL);
const ZONE_TAGS = new Map<string, keyof ZoneinfoZone>(ZONE_OPTIONAL);

/** `node:zone[:rest]` -> zone. Zone names never contain ':'. */
const zoneOf = (name: string): string => name.split(':')[1] ?? '';

/** Rebuilds SnapshotContent from a decoded frame. The inverse of flattenContent. */
export function unflattenContent(frame: FlatFrame, dict: KeyDictionary): SnapshotContent {
  const r = new FlatReader(frame, dict);
  let pageSize: number | undefined;
  let kernelRelease: string | undefined;
  const outcomes = new Map<SectionName, Outcome>();
  let current: SectionName | undefined;
  let error: Partial<ErrorOutcome> = {};

  // Records are prototype-less, as the parsers make them: a field named __proto__ stays data.
  const fields = record();
  const countFields: string[] = [];
  let slabVersion: (typeof SLAB_VERSIONS)[number] = '2.1';
  const caches: Mutable<SlabCache>[] = [];
  let anomalies: SlabAnomaly[] | undefined;
  const buddy: BuddyZone[] = [];
  const zones: Mutable<ZoneinfoZone>[] = [];
  let zonePrefix = '';
  let nodeStats: { node: number; counters: Record<string, number> }[] | undefined;
  const pt = { pageBlockOrder: 0, pagesPerBlock: 0 };
  const free: PagetypeFree[] = [];
  const blocks: PagetypeBlocks[] = [];
  let blocksPrefix = '';
  const counters = new Map<string, bigint>();
  const tunables: Record<string, number> = {};
  const proc = { count: 0, rssSumBytes: 0 };
  const top: Mutable<ProcessMemory>[] = [];

  while (r.next()) {
    const { tag, name } = r;
    switch (tag) {
      case 'pg':
        pageSize = r.num();
        break;
      case 'kr':
        kernelRelease = r.str();
        break;
      case '!': {
        current = name as SectionName;
        const status = r.num();
        if (status === 0) outcomes.set(current, { kind: 'ok' });
        error = {};
        break;
      }
      case '?r':
        outcomes.set(name as SectionName, { kind: 'unavailable', reason: r.text() });
        break;
      case '?f':
        error.file = r.str();
        break;
      case '?l':
        error.line = r.num();
        break;
      case '?e':
        outcomes.set(name as SectionName, {
          kind: 'error',
          file: error.file ?? '',
          line: error.line ?? 0,
          reason: r.text(),
        });
        break;
      case 'm':
        fields[name] = r.num();
        break;
      case 'mc':
        countFields.push(name);
        break;
      case 'sv':
        slabVersion = SLAB_VERSIONS[r.num()] ?? '2.1';
        break;
      case 'sc': {
        const [size, perSlab, pages, ...optional] = r.str().split(',');
        const cache: Mutable<SlabCache> = {
          name,
          objSize: Number(size),
          objPerSlab: Number(perSlab),
          pagesPerSlab: Number(pages),
          activeObjs: 0,
          numObjs: 0,
        };
        SHAPE_OPTIONAL.forEach((field, i) => {
          const v = optional[i];
          if (v !== undefined && v !== '') (cache as Record<string, unknown>)[field] = Number(v);
        });
        caches.push(cache);
        break;
      }
      case 'so':
        caches.push({
          name,
          objSize: r.num(),
          objPerSlab: 0,
          pagesPerSlab: 0,
          activeObjs: 0,
          numObjs: 0,
        });
        break;
      case 'sp':
        last(caches).objPerSlab = r.num();
        break;
      case 'sg':
        last(caches).pagesPerSlab = r.num();
        break;
      case 'sa':
        last(caches).activeObjs = r.num();
        break;
      case 'sn':
        last(caches).numObjs = r.num();
        break;
      case 'sX':
        anomalies = [];
        break;
      case 'sx':
        (anomalies ??= []).push({ line: r.num(), name: '', reason: '' });
        break;
      case 'sy':
        (last(anomalies ?? []) as Mutable<SlabAnomaly>).name = r.str();
        break;
      case 'sz':
        (last(anomalies ?? []) as Mutable<SlabAnomaly>).reason = r.text();
        break;
      case 'bz':
        buddy.push({ node: r.num(), zone: name.slice(name.indexOf(':') + 1), freeBlocks: [] });
        break;
      case 'bo':
        (last(buddy).freeBlocks as number[]).push(r.num());
        break;
      case 'zz':
        zonePrefix = `${name}:`;
        zones.push({ node: r.num(), zone: name.slice(name.indexOf(':') + 1), counters: record() });
        break;
      case 'zP':
        last(zones).protection = [];
        break;
      case 'zq':
        (last(zones).protection as number[]).push(r.num());
        break;
      case 'zc':
        (last(zones).counters as Record<string, number>)[name.slice(zonePrefix.length)] = r.num();
        break;
      case 'zS':
        nodeStats = [];
        break;
      case 'zN':
        (nodeStats ??= []).push({ node: r.num(), counters: record() });
        break;
      case 'zn':
        last(nodeStats ?? []).counters[name.slice(name.indexOf(':') + 1)] = r.num();
        break;
      case 'ta':
        pt.pageBlockOrder = r.num();
        break;
      case 'tb':
        pt.pagesPerBlock = r.num();
        break;
      case 'tf': {
        const parts = name.split(':');
        free.push({
          node: r.num(),
          zone: parts[1] ?? '',
          type: parts.slice(2).join(':'),
          counts: [],
        });
        break;
      }
      case 'tv': {
        const v = r.num();
        (last(free).counts as { value: number; overflow: boolean }[]).push({
          value: Math.floor(v / 2),
          overflow: v % 2 === 1,
        });
        break;
      }
      case 'tk':
        blocksPrefix = `${name}:`;
        blocks.push({ node: r.num(), zone: zoneOf(name), blocks: record() });
        break;
      case 'tB':
        (last(blocks).blocks as Record<string, number>)[name.slice(blocksPrefix.length)] = r.num();
        break;
      case 'v':
        counters.set(name, r.big());
        break;
      case 'u':
        tunables[name] = r.num();
        break;
      case 'pn':
        proc.count = r.num();
        break;
      case 'pr':
        proc.rssSumBytes = r.num();
        break;
      case 'pp':
        top.push({ pid: r.num(), rssBytes: 0, comm: '' });
        break;
      case 'pR':
        last(top).rssBytes = r.num();
        break;
      case 'pc':
        last(top).comm = r.str();
        break;
      default: {
        const slab = SLAB_TAGS.get(tag);
        const zone = ZONE_TAGS.get(tag);
        if (slab) (last(caches) as Record<string, unknown>)[slab] = r.num();
        else if (zone) (last(zones) as Record<string, unknown>)[zone] = r.num();
        else throw new CodecError(`unknown key tag ${tag} in section ${current ?? '(none)'}`);
      }
    }
  }
  if (pageSize === undefined) throw new CodecError('snapshot frame has no page size');

  const section = <T>(s: SectionName, value: T): Parsed<T> => {
    const o = outcomes.get(s);
    if (!o) throw new CodecError(`snapshot frame has no ${s} section`);
    if (o.kind === 'ok') return { kind: 'ok', value };
    if (o.kind === 'unavailable') return o;
    return { kind: 'error', error: new ProcfsParseError(o.file, o.line, o.reason) };
  };
  return {
    pageSize,
    ...(kernelRelease !== undefined ? { kernelRelease } : {}),
    meminfo: section('meminfo', { fields, countFields }),
    slabinfo: section('slabinfo', {
      version: slabVersion,
      caches,
      ...(anomalies ? { anomalies } : {}),
    }),
    buddyinfo: section('buddyinfo', { zones: buddy }),
    zoneinfo: section('zoneinfo', { zones, ...(nodeStats ? { nodeStats } : {}) }),
    pagetypeinfo: section('pagetypeinfo', { ...pt, free, blocks }),
    vmstat: section('vmstat', { counters }),
    tunables: section('tunables', tunables),
    processes: section('processes', { ...proc, top }),
  };
}

const record = (): Record<string, number> => Object.create(null) as Record<string, number>;

function last<T>(items: T[]): T {
  const item = items[items.length - 1];
  if (item === undefined) throw new CodecError('snapshot frame value before its group key');
  return item;
}
