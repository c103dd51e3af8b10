import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { forwardGet, forwardShopAction, sandboxShop } from "~/sandbox.server";

// `?limit=N&offset=M&q=TEXT`: one page, newest first, as { orders, total } (the console); without
// `limit`, every order oldest first (tests and scripts).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const params = new URL(request.url).searchParams;
  const page = new URLSearchParams([...params].filter(([key]) => key === "limit" || key === "offset" || key === "q"));
  const query = page.size ? `?${page}` : "";
  return forwardGet(request, `/_control/shops/${encodeURIComponent(await sandboxShop(request))}/orders${query}`);
};

export const action = ({ request }: ActionFunctionArgs) => forwardShopAction(request, "/orders");
