/** Injection token of libs/db's PrismaSeriesRepository (per-host series queries). */
export const SERIES_REPOSITORY = Symbol('SERIES_REPOSITORY');
