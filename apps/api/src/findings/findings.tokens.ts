/** The post-ingest hook (libs/db FindingsUpdater), injected where snapshots are stored. */
export const FINDINGS_UPDATER = Symbol('FINDINGS_UPDATER');
export const FINDING_REPOSITORY = Symbol('FINDING_REPOSITORY');
