// The embedded admin: every page under /app is authenticated with authenticate.admin.
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { env } from "~/env.server";
import { authenticate } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const config = env();
  // Outside Shopify admin (sandbox) App Bridge comes from a local stand-in: the CDN is not reachable.
  return { apiKey: config.SHOPIFY_API_KEY, appBridgeUrl: config.TRUSTLOOP_SANDBOX ? "/sandbox/app-bridge.js" : undefined };
};

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} __APP_BRIDGE_URL={appBridgeUrl}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/flows">Flows</Link>
        <Link to="/app/journeys">Journeys</Link>
        <Link to="/app/activity">Activity</Link>
        <Link to="/app/delays">Delays</Link>
        <Link to="/app/reviews">Reviews</Link>
        <Link to="/app/nps">NPS</Link>
        <Link to="/app/loyalty">Loyalty</Link>
        <Link to="/app/offers">Offers</Link>
        <Link to="/app/shopify-flow">Shopify Flow</Link>
        <Link to="/app/settings">Settings</Link>
        <Link to="/app/data-requests">Data requests</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch thrown responses so its auth headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
