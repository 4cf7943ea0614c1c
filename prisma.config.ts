// Read by the Prisma CLI only (generate, and migrate where the native engine exists).
// The url is optional so that `prisma generate` works without a database.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});
