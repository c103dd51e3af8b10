// Journeys shipped ready to enable: created as drafts when the merchant starts from one, so they can
// read and adjust every step before activating it. Plain English Liquid with the usual variables.
import type { Journey, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import type { JourneyInput } from "./input";
import { saveJourney } from "./save";

type Optional = "productIds" | "vendors" | "collections" | "subscribed";
type ExampleInput = Omit<JourneyInput, "orderNumber" | "minTotalCents" | Optional> & Partial<Pick<JourneyInput, Optional>> & { orderNumber?: number };
export interface JourneyExample {
  key: string;
  summary: string;
  input: ExampleInput;
}

const hi = "Hi{% if customer.first_name %} {{ customer.first_name }}{% endif %},";
const signOff = "Just reply to this email if anything is unclear. We read every message.\n\n{{ shop.name }}";
const step = (waitValue: number, subject: string, paragraphs: string[]) => ({
  waitValue,
  waitUnit: "days" as const,
  sendAtLocalTime: "10:00",
  subject,
  body: [hi, ...paragraphs, signOff].join("\n\n"),
});

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
          waitValue: 2,
          waitUnit: "hours",
          sendAtLocalTime: "",
          subject: "You came back! Thank you",
          body: [
            hi,
            "Thank you for order {{ order.name }}, your second with {{ shop.name }}. Coming back is the nicest compliment a small shop can get.",
            "If there is anything we could do better, or a product you would like to see, just reply. We read every message.",
            "{{ shop.name }}",
          ].join("\n\n"),
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
