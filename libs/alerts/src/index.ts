export * from './signing';
export * from './retry-schedule';
export * from './ssrf-guard';
export * from './deliver';
