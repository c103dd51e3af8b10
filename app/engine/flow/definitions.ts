// Trustloop in Shopify Flow (decision 044): the triggers it sends and the actions it runs, as the
// extensions under extensions/flow-* declare them. One list, read by the worker (payloads), the
// action routes (properties), the admin card, the sandbox and the test that checks the TOML files.

/** A field as a Flow extension declares it. Reference fields (customer, order, product) have no key. */
export interface FlowField {
  type: string;
  key?: string;
  name?: string;
  description: string;
  required?: boolean;
}

export interface FlowTriggerDefinition {
  handle: string;
  /** Object + past-tense verb, as Flow names triggers. */
  name: string;
  description: string;
  fields: readonly FlowField[];
}

export interface FlowActionDefinition {
  handle: string;
  name: string;
  description: string;
  /** The runtime URL's path on the app. */
  path: string;
  fields: readonly FlowField[];
}

const customer = (description: string, required = false): FlowField => ({ type: "customer_reference", description, ...(required ? { required } : {}) });
const order = (description: string, required = false): FlowField => ({ type: "order_reference", description, ...(required ? { required } : {}) });

export const FLOW_TRIGGERS = {
  delayDetected: {
    handle: "shipment-delay-detected",
    name: "Shipment delay detected",
    description: "Trustloop found an order running late: not shipped in time, late in transit, or a carrier exception.",
    fields: [
      order("The late order."),
      customer("The customer who placed it."),
      { type: "single_line_text_field", key: "Cause", description: "not_shipped, late_in_transit, carrier_exception or reported." },
      { type: "single_line_text_field", key: "Apology code", description: "The unique discount code of the delay notice; empty when it went without one." },
    ],
  },
  reviewSubmitted: {
    handle: "review-submitted",
    name: "Review submitted",
    description: "A customer reviewed a product through Trustloop's review request.",
    fields: [
      { type: "product_reference", description: "The reviewed product." },
      customer("The reviewer."),
      { type: "number_decimal", key: "Rating", description: "1 to 5 stars." },
      { type: "boolean", key: "Verified buyer", description: "The reviewer bought the product in a Trustloop-tracked order." },
    ],
  },
  npsReceived: {
    handle: "nps-response-received",
    name: "NPS response received",
    description: "A customer answered Trustloop's NPS survey.",
    fields: [
      customer("The customer who answered."),
      order("The order the survey was about."),
      { type: "number_decimal", key: "Score", description: "0 to 10." },
      { type: "single_line_text_field", key: "Category", description: "promoter (9–10), passive (7–8) or detractor (0–6)." },
      { type: "boolean", key: "Comment present", description: "The customer wrote a comment with the score." },
    ],
  },
  tierReached: {
    handle: "loyalty-tier-reached",
    name: "Loyalty tier reached",
    description: "A loyalty member reached a tier (once per member and tier).",
    fields: [
      customer("The member."),
      { type: "single_line_text_field", key: "Tier", description: "The tier's name, as set in Trustloop's loyalty settings." },
      { type: "number_decimal", key: "Balance", description: "The member's points balance when the tier was reached." },
    ],
  },
} as const satisfies Record<string, FlowTriggerDefinition>;

export type FlowTriggerKey = keyof typeof FLOW_TRIGGERS;

export const FLOW_ACTIONS = {
  awardPoints: {
    handle: "award-loyalty-points",
    name: "Award loyalty points",
    description: "Adds points to a customer's Trustloop loyalty balance (enrolling them if they are not a member yet).",
    path: "/flow/actions/award-loyalty-points",
    fields: [
      customer("The customer who gets the points.", true),
      { type: "number_integer", key: "points", name: "Points", description: "1 to 100 000.", required: true },
      { type: "single_line_text_field", key: "reason", name: "Reason", description: "Shown on the customer's points history.", required: false },
    ],
  },
  sendDelayApology: {
    handle: "send-delay-apology",
    name: "Send a delay apology",
    description: "Sends the order's customer Trustloop's delay notice with a unique apology code (once per order).",
    path: "/flow/actions/send-delay-apology",
    fields: [order("The late order.", true)],
  },
  pauseEmails: {
    handle: "pause-trustloop-emails",
    name: "Pause Trustloop emails for a customer",
    description: "No Trustloop email goes to the customer for the given number of days; emails due meanwhile are skipped.",
    path: "/flow/actions/pause-trustloop-emails",
    fields: [customer("The customer to leave alone.", true), { type: "number_integer", key: "days", name: "Days", description: "1 to 365.", required: true }],
  },
} as const satisfies Record<string, FlowActionDefinition>;

export type FlowActionKey = keyof typeof FLOW_ACTIONS;

/** Where Flow's trigger lifecycle callbacks arrive (a workflow using a trigger was enabled or disabled). */
export const FLOW_LIFECYCLE_PATH = "/flow/lifecycle";

export const triggerByHandle = (handle: string): FlowTriggerDefinition | undefined => Object.values(FLOW_TRIGGERS).find((t) => t.handle === handle);
export const actionByHandle = (handle: string): FlowActionDefinition | undefined => Object.values(FLOW_ACTIONS).find((a) => a.handle === handle);
