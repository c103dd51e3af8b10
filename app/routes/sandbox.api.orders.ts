import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { forwardGet, forwardShopAction, sandboxShop } from "~/sandbox.server";

export const loader = async ({ request }: LoaderFunctionArgs) =>
  forwardGet(request, `/_control/shops/${encodeURIComponent(await sandboxShop(request))}/orders`);

export const action = ({ request }: ActionFunctionArgs) => forwardShopAction(request, "/orders");
