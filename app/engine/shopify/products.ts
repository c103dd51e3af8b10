// Product facts the emails need (link, image, tags), read through the Admin API at send time.
import { z } from "zod";

export interface ProductInfo {
  id: string;
  url: string | null;
  imageUrl: string | null;
  tags: string[];
}

export type ShopGraphql = (shopDomain: string, query: string, variables?: Record<string, unknown>) => Promise<unknown>;

const PRODUCT_QUERY = `#graphql
  query TrustloopProduct($id: ID!) {
    product(id: $id) { id tags onlineStoreUrl featuredImage { url } }
  }`;

const productResponse = z.object({
  product: z
    .object({
      id: z.string(),
      tags: z.array(z.string()),
      onlineStoreUrl: z.string().nullish(),
      featuredImage: z.object({ url: z.string() }).nullish(),
    })
    .nullable(),
});

export async function fetchProducts(graphql: ShopGraphql, shopDomain: string, ids: string[]): Promise<Map<string, ProductInfo>> {
  const found = new Map<string, ProductInfo>();
  for (const id of [...new Set(ids)]) {
    const { product } = productResponse.parse(await graphql(shopDomain, PRODUCT_QUERY, { id }));
    if (product) found.set(id, { id, url: product.onlineStoreUrl ?? null, imageUrl: product.featuredImage?.url ?? null, tags: product.tags });
  }
  return found;
}
