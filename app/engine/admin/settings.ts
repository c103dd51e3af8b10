// Merchant settings (admin › Settings): one schema for the form, saved to the Shop row.
import type { PrismaClient, Shop } from "@prisma/client";
import { z } from "zod";
import { senderNameSchema } from "../email/sender-name";
import { firstErrors, type FieldErrors } from "./flow-form";

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const optional = (schema: z.ZodTypeAny) => z.union([z.literal("").transform(() => null), schema]);

export const settingsSchema = z.object({
  senderName: senderNameSchema,
  replyTo: optional(z.string().trim().email("Enter an email address")),
  brandColor: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #1f6f5c")
    .transform((v) => v.toLowerCase()),
  logoUrl: optional(
    z
      .string()
      .trim()
      .url("Enter a full URL")
      .refine((v) => v.startsWith("https://"), "The logo must be served over https"),
  ),
  quietHoursStart: z.string().trim().regex(HHMM, "Use HH:MM, e.g. 21:00"),
  quietHoursEnd: z.string().trim().regex(HHMM, "Use HH:MM, e.g. 08:00"),
  frequencyCapCount: z.coerce.number({ invalid_type_error: "Enter a number" }).int("Whole emails only").min(1, "At least 1").max(10, "At most 10"),
  frequencyCapHours: z.coerce
    .number({ invalid_type_error: "Enter a number" })
    .int("Whole hours only")
    .min(1, "At least 1 hour")
    .max(168, "At most 168 hours (7 days)"),
});

export type SettingsValues = Record<keyof z.input<typeof settingsSchema>, string>;

export function settingsValues(shop: Shop): SettingsValues {
  return {
    senderName: shop.senderName ?? shop.name,
    replyTo: shop.replyTo ?? "",
    brandColor: shop.brandColor,
    logoUrl: shop.logoUrl ?? "",
    quietHoursStart: shop.quietHoursStart,
    quietHoursEnd: shop.quietHoursEnd,
    frequencyCapCount: String(shop.frequencyCapCount),
    frequencyCapHours: String(shop.frequencyCapHours),
  };
}

export async function saveSettings(
  db: PrismaClient,
  shopId: string,
  input: Record<string, unknown>,
): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: firstErrors(parsed.error) };
  await db.shop.update({ where: { id: shopId }, data: parsed.data });
  return { ok: true };
}
