// The shop as its hosted pages (review, survey, preferences) show it: the name it sends under and
// its brand colour, which goes into the page's CSS and so must be a plain hex colour.
export const DEFAULT_BRAND_COLOR = "#1f6f5c";

export interface PageBrand {
  shopName: string;
  brandColor: string;
}

export function pageBrand(shop: { name: string; senderName: string | null; brandColor: string }): PageBrand {
  return {
    shopName: shop.senderName || shop.name,
    brandColor: /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(shop.brandColor) ? shop.brandColor : DEFAULT_BRAND_COLOR,
  };
}

/** The shop's fields a hosted page needs (its brand, and the languages its locale is decided from), for a Prisma select. */
export const PAGE_SHOP_FIELDS = { name: true, senderName: true, brandColor: true, status: true, primaryLocale: true, publishedLocales: true } as const;

/** A message's fields a hosted page needs: its id, its language and its order's, and the shop's fields above. */
export const PAGE_MESSAGE_FIELDS = { id: true, locale: true, order: { select: { locale: true } }, shop: { select: PAGE_SHOP_FIELDS } } as const;
