/** Injection tokens for what libs/db provides behind interfaces. */
export const HOST_REPOSITORY = Symbol('HOST_REPOSITORY');
export const SNAPSHOT_REPOSITORY = Symbol('SNAPSHOT_REPOSITORY');
export const APP_LOGGER = Symbol('APP_LOGGER');
