import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, "fulfillments/update");
