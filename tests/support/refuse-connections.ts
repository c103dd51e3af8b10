// A database outage for tests of how the app answers one: the stack's database refuses new
// connections and its open ones (the server's pool) are cut, until allowed again. Done from the
// cluster's `postgres` database as the stack's user; a role that may not do it throws.
import pg from "pg";

/** Makes the database of `databaseUrl` refuse connections (`true`) or accept them again (`false`). */
export async function refuseConnections(databaseUrl: string, refused: boolean): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE ${client.escapeIdentifier(name)} WITH ALLOW_CONNECTIONS ${refused ? "false" : "true"}`);
    if (refused) await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
  } finally {
    await client.end();
  }
}
