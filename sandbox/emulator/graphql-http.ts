// POST /admin/api/:version/graphql.json — authenticates the access token, applies query cost
// throttling and injected faults, executes against the shop's state and records the call.
import type { ServerResponse } from "node:http";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  Kind,
  execute,
  parse,
  validate,
} from "graphql";
import { HANDLED, HttpError, type HttpResult, type RouteContext, bodyObject } from "../http";
import type { FaultRegistry } from "./faults";
import { rootResolvers } from "./resolvers";
import { adminSchema } from "./schema";
import type { EmulatorState } from "./state";

const MAX_AVAILABLE = 2000;
const RESTORE_RATE = 100;
const MAX_QUERY_COST = 1000;

export interface GraphqlConfig {
  state: EmulatorState;
  faults: FaultRegistry;
  /** Responses held by the "timeout-after-apply" fault; destroyed on close. */
  held: Set<ServerResponse>;
}

export function graphqlHandler(cfg: GraphqlConfig) {
  const buckets = new Map<string, { available: number; at: number }>();
  const take = (shop: string, cost: number): { ok: boolean; available: number } => {
    const now = Date.now();
    const b = buckets.get(shop) ?? { available: MAX_AVAILABLE, at: now };
    b.available = Math.min(MAX_AVAILABLE, b.available + ((now - b.at) / 1000) * RESTORE_RATE);
    b.at = now;
    buckets.set(shop, b);
    if (cost > b.available) return { ok: false, available: Math.floor(b.available) };
    b.available -= cost;
    return { ok: true, available: Math.floor(b.available) };
  };

  return async (ctx: RouteContext): Promise<HttpResult | typeof HANDLED> => {
    const token = String(ctx.req.headers["x-shopify-access-token"] ?? "");
    const access = cfg.state.tokens.get(token);
    const shop = access ? cfg.state.shop(access.shop) : undefined;
    if (!access || !shop) {
      throw new HttpError(401, "unauthorized", { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
    const body = bodyObject(ctx);
    const query = typeof body.query === "string" ? body.query : "";
    const variables = body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : null;
    const requestedName = typeof body.operationName === "string" ? body.operationName : null;

    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      return { json: { errors: [{ message: (err as Error).message }] } };
    }
    const validationErrors = validate(adminSchema, document);
    if (validationErrors.length) return { json: { errors: validationErrors.map((e) => e.toJSON()) } };

    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!requestedName || d.name?.value === requestedName),
    );
    const operationName = requestedName ?? operation?.name?.value ?? null;
    cfg.state.adminCalls.push({ at: cfg.state.nowIso(), shop: shop.domain, operationName, query, variables });

    const rootFields = operation?.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : [])) ?? [];
    const fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
    );
    const requested = operation ? queryCost(operation.selectionSet, variables ?? {}, fragments) + (operation.operation === "mutation" ? 10 : 0) : 1;
    const cost = (available: number, actual: number | null = requested) => ({
      cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: { maximumAvailable: MAX_AVAILABLE, currentlyAvailable: available, restoreRate: RESTORE_RATE } },
    });

    if (requested > MAX_QUERY_COST) {
      return {
        json: {
          errors: [{
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
          }],
        },
      };
    }
    const fault = cfg.faults.take([operationName, ...rootFields]);
    if (fault === "server-error") return { status: 500, json: { errors: "Internal Server Error" } };
    const bucket = take(shop.domain, fault === "throttled" ? Infinity : requested);
    if (!bucket.ok) {
      return {
        json: {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
          extensions: cost(bucket.available, null),
        },
      };
    }

    const result = await execute({
      schema: adminSchema,
      document,
      rootValue: rootResolvers(cfg.state, shop),
      variableValues: variables ?? undefined,
      operationName: requestedName ?? undefined,
    });
    const json = { ...result, errors: result.errors?.map((e) => e.toJSON()), extensions: cost(bucket.available) };
    if (!json.errors) delete json.errors;
    if (fault === "timeout-after-apply") {
      // The mutation happened; the client never hears back (socket dropped after 30 s).
      cfg.held.add(ctx.res);
      const timer = setTimeout(() => {
        cfg.held.delete(ctx.res);
        ctx.res.destroy();
      }, 30_000);
      ctx.res.on("close", () => {
        clearTimeout(timer);
        cfg.held.delete(ctx.res);
      });
      return HANDLED;
    }
    return { json };
  };
}

function numberArg(v: ValueNode | undefined, variables: Record<string, unknown>): number | null {
  if (!v) return null;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) {
    const n = variables[v.name.value];
    return typeof n === "number" ? n : null;
  }
  return null;
}

/** Shopify-style estimate: objects cost 1, scalars 0, connections 2 + first × child cost. */
function queryCost(set: SelectionSetNode, variables: Record<string, unknown>, fragments: Record<string, FragmentDefinitionNode>): number {
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.INLINE_FRAGMENT) total += queryCost(sel.selectionSet, variables, fragments);
    else if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const f = fragments[sel.name.value];
      if (f) total += queryCost(f.selectionSet, variables, fragments);
    } else if (sel.selectionSet) {
      const child = queryCost(sel.selectionSet, variables, fragments);
      const arg = (name: string) => sel.arguments?.find((a) => a.name.value === name)?.value;
      const size = numberArg(arg("first"), variables) ?? numberArg(arg("last"), variables);
      const overhead = sel.name.value === "edges" || sel.name.value === "pageInfo" ? 0 : 1;
      total += size != null ? 2 + size * child : overhead + child;
    }
  }
  return total;
}
