export { bearerTokenMatches } from './bearer';
export { createCollectionMetrics } from './collection-metrics';
export type { CollectionMetrics, CollectionOutcome } from './collection-metrics';
export { createFleetMetrics } from './fleet-metrics';
export type { FleetMetrics, FleetSample } from './fleet-metrics';
export { startMetricsServer } from './metrics-server';
export type { MetricsServer, MetricsServerOptions } from './metrics-server';
export { Registry, collectDefaultMetrics } from 'prom-client';
