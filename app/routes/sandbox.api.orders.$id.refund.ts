import type { ActionFunctionArgs } from "@remix-run/node";
import { forwardShopAction } from "~/sandbox.server";

export const action = ({ request, params }: ActionFunctionArgs) => forwardShopAction(request, `/orders/${encodeURIComponent(params.id ?? "")}/refund`);
