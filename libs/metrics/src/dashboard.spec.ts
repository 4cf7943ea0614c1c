import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createCollectionMetrics } from './collection-metrics';
import { createFleetMetrics } from './fleet-metrics';

const DASHBOARD = join(__dirname, '..', '..', '..', 'deploy', 'grafana', 'memfleet.json');

/** Histograms are queried through their _bucket, _sum and _count series. */
function exportedNames(): Set<string> {
  const registry = new Registry();
  createFleetMetrics(registry);
  createCollectionMetrics(registry);
  const names = new Set<string>();
  for (const metric of registry.getMetricsAsArray()) {
    names.add(metric.name);
    for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

describe('Grafana dashboard', () => {
  it('queries only memfleet metrics that libs/metrics exports, and uses each of them', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const queried = new Set(
      dashboard.panels
        .flatMap((p) => p.targets.map((t) => t.expr))
        .flatMap((expr) => expr.match(/\bmemfleet_[a-z0-9_]+/g) ?? []),
    );
    const exported = exportedNames();
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
    const base = new Registry();
    createFleetMetrics(base);
    createCollectionMetrics(base);
    const unused = base
      .getMetricsAsArray()
      .map((m) => m.name)
      .filter((name) => ![...queried].some((q) => q.startsWith(name)));
    expect(unused).toEqual([]);
  });
});
