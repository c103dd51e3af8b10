// graphile-worker keeps its tables and functions in the `graphile_worker` schema and migrates them
// itself (idempotent, under its own lock). The deploy's `db:migrate` runs it before ours, so the
// web server can enqueue before any worker has started.
import { Logger, runMigrations } from "graphile-worker";

const silent = new Logger(() => () => {});

export async function installQueueSchema(connectionString: string) {
  await runMigrations({ connectionString, logger: silent });
}
