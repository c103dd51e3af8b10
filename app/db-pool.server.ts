// The `pg` pool under the app's Prisma client, with two guards a lost database needs
// (docs/decisions/034-lost-connections-and-webhook-lanes.md).
//
// 1. Prisma's driver adapter never hands back the connection of a transaction whose connection
//    was lost (a PostgreSQL restart, a killed backend): the pool keeps counting it as in use, so
//    after a few such losses it is full of dead connections and every later query waits for ever.
//    A checked-out connection that fails is given back here, with its error, which drops it.
// 2. Waiting for a connection has a limit: a pool that cannot serve says so, instead of hanging.
import pg from "pg";

/** How long a query may wait for a free connection before it fails with a clear error. */
export const CONNECTION_WAIT_MS = 60_000;

export function createPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: CONNECTION_WAIT_MS });
  const out = new Set<pg.PoolClient>();
  pool.on("acquire", (client) => {
    out.add(client);
    // pg-pool installs this checkout's release() right after the event; a second call (the
    // adapter's, after ours) would throw, so it becomes a no-op.
    queueMicrotask(() => {
      const release = client.release;
      client.release = (error?: Error | boolean) => {
        if (out.delete(client)) release(error);
      };
    });
  });
  pool.on("release", (_error, client) => out.delete(client as pg.PoolClient));
  pool.on("connect", (client) => {
    client.on("error", (error) => {
      if (out.has(client as pg.PoolClient)) (client as pg.PoolClient).release(error);
    });
  });
  return pool;
}
