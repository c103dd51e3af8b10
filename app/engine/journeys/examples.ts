// Journeys shipped ready to enable: created as drafts when the merchant starts from one, so they can
// read and adjust every step before activating it. Plain English Liquid with the usual variables.
import type { Journey, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import type { JourneyInput } from "./input";
import { saveJourney } from "./save";

type Optional = "productIds" | "vendors" | "collections" | "subscribed";
type ExampleInput = Omit<JourneyInput, "orderNumber" | "minTotalCents" | "quietDays" | "tierName" | Optional> &
  Partial<Pick<JourneyInput, Optional>> & { orderNumber?: number; quietDays?: number; tierName?: string };
export interface JourneyExample {
  key: string;
  summary: string;
  input: ExampleInput;
}

const hi = "Hi{% if customer.first_name %} {{ customer.first_name }}{% endif %},";
const signOff = "Just reply to this email if anything is unclear. We read every message.\n\n{{ shop.name }}";
const step = (waitValue: number, subject: string, paragraphs: string[], waitUnit: "days" | "hours" = "days") => ({
  id: "",
  waitValue,
  waitUnit,
  sendAtLocalTime: "10:00",
  subject,
  body: [hi, ...paragraphs, signOff].join("\n\n"),
});

const noConditions = { holdoutPercent: 0, productTags: [], customerTags: [], countries: [] };

export const JOURNEY_EXAMPLES: readonly JourneyExample[] = [
  {
    key: "espresso_onboarding",
    summary: "Three emails after an espresso machine arrives: setup, dialing in, care and descaling.",
    input: {
      name: "Espresso machine onboarding",
      trigger: "delivered",
      category: "service",
      holdoutPercent: 0,
      stopOnReorder: false,
      productTags: ["espresso-machine"],
      customerTags: [],
      countries: [],
      steps: [
        step(1, "Setting up your new espresso machine", [
          "Your machine from order {{ order.name }} has arrived. Before the first shot: rinse the water tank, fill it with fresh filtered water and run two empty shots to warm everything through.",
          "Let the machine heat for 15 to 20 minutes before pulling a shot. A warm portafilter makes all the difference.",
        ]),
        step(7, "Dialing in: your first great shot", [
          "A week in, it is time to dial in. Start with 18 g of coffee in and aim for about 36 g out in 25 to 30 seconds.",
          "Too fast and sour? Grind finer. Too slow and bitter? Grind coarser. Change one thing at a time and taste as you go.",
        ]),
        step(30, "Caring for your machine: cleaning and descaling", [
          "A month of coffee! Backflush the group head with a cleaning tablet once a week and wipe the steam wand after every use.",
          "Descale every one to three months, depending on how hard your water is. Clean machines make sweeter coffee and last for years.",
        ]),
      ],
    },
  },
  {
    key: "second_order_thanks",
    summary: "A thank-you when a customer comes back for their second order.",
    input: {
      name: "Thank you for your second order",
      trigger: "nth_order",
      orderNumber: 2,
      category: "marketing",
      holdoutPercent: 0,
      stopOnReorder: true,
      productTags: [],
      customerTags: [],
      countries: [],
      steps: [
        {
          ...step(
            2,
            "You came back! Thank you",
            [
              "Thank you for order {{ order.name }}, your second with {{ shop.name }}. Coming back is the nicest compliment a small shop can get.",
              "Is there a product you would like to see from us? Tell us.",
            ],
            "hours",
          ),
          sendAtLocalTime: "",
        },
      ],
    },
  },
  {
    key: "first_order_anniversary",
    summary: "A note on the anniversary of each customer's first order, every year.",
    input: {
      ...noConditions,
      name: "First-order anniversary",
      trigger: "anniversary",
      category: "marketing",
      stopOnReorder: false,
      steps: [
        step(0, "Happy anniversary from {{ shop.name }}", [
          "On this day you placed your first order with us ({{ order.name }}). Thank you for being part of {{ shop.name }} since then.",
          "We would love to hear how it has been going.",
        ]),
      ],
    },
  },
  {
    key: "win_back_90",
    summary: "Two notes when a customer has not ordered for 90 days; stops as soon as they order.",
    input: {
      ...noConditions,
      name: "Win-back after 90 days",
      trigger: "win_back",
      quietDays: 90,
      category: "marketing",
      stopOnReorder: true,
      steps: [
        step(0, "We miss you at {{ shop.name }}", [
          "It has been a while since your last order ({{ order.name }}). A lot has happened since: new products, and a few favourites back in stock.",
          "Come and have a look whenever you like.",
        ]),
        step(14, "Is there anything we could do better?", [
          "We have not seen you for a while and would like to know why. Was something not right with your last order?",
        ]),
      ],
    },
  },
  {
    key: "gold_tier_welcome",
    summary: "A welcome when a customer reaches the Gold loyalty tier (add a tier named Gold in Loyalty first).",
    input: {
      ...noConditions,
      name: "Welcome to Gold tier",
      trigger: "tier_reached",
      tierName: "Gold",
      category: "service",
      stopOnReorder: false,
      steps: [
        {
          ...step(
            1,
            "Welcome to Gold",
            [
              "With order {{ order.name }} you have reached our Gold tier. From now on every order earns more points.",
              "Thank you for shopping with {{ shop.name }} so often.",
            ],
            "hours",
          ),
          sendAtLocalTime: "",
        },
      ],
    },
  },
];

/** Creates the example as a draft journey of the shop; null for an unknown key. */
export async function createExampleJourney(db: PrismaClient, clock: Clock, shop: Pick<Shop, "id">, key: string): Promise<Journey | null> {
  const example = JOURNEY_EXAMPLES.find((e) => e.key === key);
  if (!example) return null;
  const saved = await saveJourney(db, clock, shop, null, example.input);
  if (!saved.ok) throw new Error(`example journey ${key} does not validate`);
  await db.journey.update({ where: { id: saved.journey.id }, data: { exampleKey: key } });
  return { ...saved.journey, exampleKey: key };
}
