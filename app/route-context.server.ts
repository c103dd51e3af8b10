// What a route needs besides its input, in one call: the shop (admin routes), the database, the
// process clock (the sandbox's moved clock included) and a mailer. Routes then parse their input,
// call the engine and shape the answer (docs/decisions/037-route-context.md).
import type { Clock } from "./engine/clock";
import { requireShop } from "./admin.server";
import { currentClock } from "./clock.server";
import { db } from "./db.server";
import { env } from "./env.server";
import { withMailer, type AppMailer } from "./mail.server";

/** The clock of this process, refreshed from the database in sandbox mode. */
export function appClock(): Promise<Clock> {
  return currentClock(db, env().TRUSTLOOP_SANDBOX);
}

/** For routes without a session: the hosted pages behind signed links, the checkout API, the sandbox. */
export async function publicContext() {
  const config = env();
  return {
    db,
    config,
    clock: await appClock(),
    withMailer: <T>(work: (mail: AppMailer) => Promise<T>) => withMailer(config, work),
  };
}

/** For embedded admin routes: authenticates (authenticate.admin) and makes sure the shop is installed. */
export async function adminContext(request: Request) {
  const admin = await requireShop(request); // first: an unauthenticated request reads nothing
  return { ...admin, ...(await publicContext()) };
}
