import { Registry } from 'prom-client';
import { bearerTokenMatches } from './bearer';
import { createCollectionMetrics } from './collection-metrics';
import { createFleetMetrics } from './fleet-metrics';
import { startMetricsServer, type MetricsServer } from './metrics-server';

describe('bearerTokenMatches', () => {
  const token = 'a-long-enough-token-123';
  it('accepts exactly the token after the Bearer scheme, scheme case-insensitive', () => {
    expect(bearerTokenMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerTokenMatches(`bearer ${token}`, token)).toBe(true);
  });
  it('rejects a missing header, another scheme, a prefix or an extension of the token', () => {
    for (const header of [
      undefined,
      '',
      token,
      `Basic ${token}`,
      'Bearer a-long',
      `Bearer ${token}4`,
    ]) {
      expect(bearerTokenMatches(header, token)).toBe(false);
    }
  });
});

describe('fleet gauges', () => {
  it('renders a sample and forgets series absent from the next one', async () => {
    const registry = new Registry();
    const fleet = createFleetMetrics(registry);
    const base = {
      snapshotsStored: 7,
      hostsByState: [{ state: 'ok', count: 2 }],
      activeFindingsByKind: [],
      zoneUnusableOrder4: [{ host: 'web-1', node: 0, zone: 'Normal', index: 0.25 }],
      hostSlabBytes: [{ host: 'web-1', bytes: 4096 }],
    };
    fleet.update({ ...base, queueDepth: [{ queue: 'collect', state: 'waiting', count: 3 }] });
    let text = await registry.metrics();
    expect(text).toContain('memfleet_snapshots_stored_total 7');
    expect(text).toContain('memfleet_queue_depth{queue="collect",state="waiting"} 3');
    expect(text).toContain('memfleet_hosts{state="ok"} 2');
    expect(text).toContain(
      'memfleet_host_unusable_index{host="web-1",node="0",zone="Normal",order="4"} 0.25',
    );
    expect(text).toContain('memfleet_host_slab_bytes{host="web-1"} 4096');

    fleet.update({ ...base, zoneUnusableOrder4: [], hostSlabBytes: [] });
    text = await registry.metrics();
    expect(text).not.toContain('host="web-1"');
    expect(text).not.toContain('memfleet_queue_depth{');
  });
});

describe('worker metrics server', () => {
  let server: MetricsServer | undefined;
  afterEach(() => server?.close());

  async function serve(token?: string) {
    const registry = new Registry();
    const collections = createCollectionMetrics(registry);
    collections.observe('collected', 'ok', 0.2);
    collections.observe('failed', 'unreachable', 1.5);
    server = await startMetricsServer({ registry, port: 0, host: '127.0.0.1', token });
    return `http://127.0.0.1:${server.port}`;
  }

  it('serves collection counters and the duration histogram on GET /metrics', async () => {
    const res = await fetch(`${await serve()}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('memfleet_collections_total{outcome="collected",reason="ok"} 1');
    expect(text).toContain('memfleet_collections_total{outcome="failed",reason="unreachable"} 1');
    expect(text).toContain(
      'memfleet_collection_duration_seconds_bucket{le="0.25",outcome="collected"} 1',
    );
    expect(text).toContain('memfleet_collection_duration_seconds_count{outcome="failed"} 1');
  });

  it('answers 404 elsewhere and 401 without the token when one is set', async () => {
    const url = await serve('worker-token-0123456789');
    expect((await fetch(`${url}/`)).status).toBe(404);
    const denied = await fetch(`${url}/metrics`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer');
    const ok = await fetch(`${url}/metrics`, {
      headers: { authorization: 'Bearer worker-token-0123456789' },
    });
    expect(ok.status).toBe(200);
  });

  it('fails to start, rather than pretending, when the port is taken', async () => {
    const url = await serve();
    const port = Number(new URL(url).port);
    await expect(
      startMetricsServer({ registry: new Registry(), port, host: '127.0.0.1' }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
