// POST /admin/api/:version/graphql.json — authenticates the access token, applies query cost
// throttling and injected faults, executes against the shop's state and records the call.
import type { ServerResponse } from "node:http";
import {
  type DocumentNode,
  type FieldNode,
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
import type { EmulatorState, ThrottleBucket } from "./state";

const MAX_AVAILABLE = 2000;
const RESTORE_RATE = 100;
const MAX_QUERY_COST = 1000;

export interface GraphqlConfig {
  state: EmulatorState;
  faults: FaultRegistry;
  /** Responses held by the "timeout-after-apply" fault; destroyed on close. */
  held: Set<ServerResponse>;
}

/** The shop's cost bucket, refilled for the real time elapsed (the standard plan's limits by default). */
export function throttleBucket(state: EmulatorState, shop: string): ThrottleBucket {
  const now = Date.now();
  const b = state.throttle.get(shop) ?? { maximumAvailable: MAX_AVAILABLE, restoreRate: RESTORE_RATE, available: MAX_AVAILABLE, at: now };
  b.available = Math.min(b.maximumAvailable, b.available + ((now - b.at) / 1000) * b.restoreRate);
  b.at = now;
  state.throttle.set(shop, b);
  return b;
}

export function graphqlHandler(cfg: GraphqlConfig) {
  // As Shopify: the requested cost must be available up front; the difference to the actual cost
  // (what the response really contained) is given back after execution.
  const take = (shop: string, cost: number): { ok: boolean; bucket: ThrottleBucket } => {
    const b = throttleBucket(cfg.state, shop);
    if (cost > b.available) return { ok: false, bucket: b };
    b.available -= cost;
    return { ok: true, bucket: b };
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
    const cost = (b: ThrottleBucket, actual: number | null = requested) => ({
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: { maximumAvailable: b.maximumAvailable, currentlyAvailable: Math.floor(b.available), restoreRate: b.restoreRate },
      },
    });

    if (requested > MAX_QUERY_COST) {
      return {
        json: {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
            },
          ],
        },
      };
    }
    const injected = cfg.faults.takeFault([operationName, ...rootFields]);
    const fault = injected?.mode ?? null;
    if (fault === "server-error") return { status: 500, json: { errors: "Internal Server Error" } };
    const taken = take(shop.domain, fault === "throttled" ? Infinity : requested);
    if (!taken.ok) {
      return {
        json: {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
          extensions: cost(taken.bucket, null),
        },
      };
    }

    // "user-error": every root field of the mutation answers with one userErrors entry, nothing applied.
    const refused = fault === "user-error" && operation?.operation === "mutation";
    const refusal = (field: string) => {
      const sel = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === field);
      const argument = sel?.kind === Kind.FIELD ? sel.arguments?.[0]?.name.value : undefined;
      const error = { field: argument ? [argument] : null, message: injected?.message ?? "Emulated rejection (user-error fault)", code: "INVALID" };
      return () => ({ userErrors: [error] });
    };
    const result = await execute({
      schema: adminSchema,
      document,
      // Scopes belong to the installation: a change since the token was issued applies at once.
      rootValue: refused
        ? Object.fromEntries(rootFields.map((f) => [f, refusal(f)]))
        : rootResolvers(cfg.state, shop, shop.grantedScopes ?? access.scope, `http://${ctx.req.headers.host ?? "127.0.0.1"}`),
      variableValues: variables ?? undefined,
      operationName: requestedName ?? undefined,
    });
    const actual = operation
      ? Math.min(requested, actualCost(operation.selectionSet, result.data, fragments) + (operation.operation === "mutation" ? 10 : 0))
      : requested;
    const bucket = throttleBucket(cfg.state, shop.domain);
    bucket.available = Math.min(bucket.maximumAvailable, bucket.available + (requested - actual));
    const json = { ...result, errors: result.errors?.map((e) => e.toJSON()), extensions: cost(bucket, actual) };
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

/** The fields of a selection set that select fields of their own, through inline fragments and fragment spreads. */
function* objectFields(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): Generator<FieldNode & { selectionSet: SelectionSetNode }> {
  for (const sel of set.selections) {
    if (sel.kind === Kind.INLINE_FRAGMENT) yield* objectFields(sel.selectionSet, fragments);
    else if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const f = fragments[sel.name.value];
      if (f) yield* objectFields(f.selectionSet, fragments);
    } else if (sel.selectionSet) yield { ...sel, selectionSet: sel.selectionSet };
  }
}

/** A connection's `edges` and `pageInfo` cost nothing of their own; any other object costs 1. */
const ownCost = (field: FieldNode) => (field.name.value === "edges" || field.name.value === "pageInfo" ? 0 : 1);

/** Shopify-style estimate: objects cost 1, scalars 0, connections 2 + first × child cost. */
function queryCost(set: SelectionSetNode, variables: Record<string, unknown>, fragments: Record<string, FragmentDefinitionNode>): number {
  let total = 0;
  for (const field of objectFields(set, fragments)) {
    const child = queryCost(field.selectionSet, variables, fragments);
    const arg = (name: string) => field.arguments?.find((a) => a.name.value === name)?.value;
    const size = numberArg(arg("first"), variables) ?? numberArg(arg("last"), variables);
    total += size != null ? 2 + size * child : ownCost(field) + child;
  }
  return total;
}

/** The cost of what the response holds: connections and sized lists count the items returned. */
function actualCost(set: SelectionSetNode, value: unknown, fragments: Record<string, FragmentDefinitionNode>): number {
  if (!value || typeof value !== "object") return 0;
  const record = value as Record<string, unknown>;
  let total = 0;
  for (const field of objectFields(set, fragments)) {
    const child = record[field.alias?.value ?? field.name.value];
    if (child == null) continue;
    const sized = field.arguments?.some((a) => a.name.value === "first" || a.name.value === "last") ?? false;
    const items = Array.isArray(child) ? child : [child];
    const inner = items.reduce<number>((sum, item) => sum + actualCost(field.selectionSet, item, fragments), 0);
    if (sized) total += 2 + inner;
    else total += items.length * ownCost(field) + inner;
  }
  return total;
}
