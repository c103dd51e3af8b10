// `npm run db:migrate`: applies pending migrations to DATABASE_URL (run once per deploy, before the
// new web and worker processes start; safe to run from several machines at once).
import { migrate } from "../app/db/migrations.server";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("db:migrate: DATABASE_URL is not set (postgres://user:password@host:5432/database)");
  process.exit(1);
}
const applied = await migrate(url, { log: (line) => console.log(line) });
console.log(applied.length ? `db:migrate: ${applied.length} migration(s) applied` : "db:migrate: the database is current");
