// Every admin loader starts here: authenticate the embedded request, then make sure the shop
// is installed. Remix runs the layout's and the page's loaders in parallel, so a page cannot
// rely on the afterAuth hook having finished; installing is idempotent, either caller may do it.
import { db } from "./db.server";
import { authenticate } from "./shopify.server";
import { installFromAdmin } from "./shopify/install.server";

export async function requireShop(request: Request) {
  const context = await authenticate.admin(request);
  const { session, admin } = context;
  let shop = await db.shop.findUnique({ where: { domain: session.shop } });
  if (!shop || shop.status !== "installed") shop = await installFromAdmin(db, admin, session.shop, session.scope ?? null);
  return { ...context, shop };
}
