export * from './series.types';
export { PrismaSeriesRepository, MAX_COLUMN_POINTS } from './prisma-series.repository';
