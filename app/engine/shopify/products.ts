// Product facts the emails and conditions need (link, image, tags, collections), read through the Admin API at send time.
import { z } from "zod";

export interface ProductInfo {
  id: string;
  url: string | null;
  imageUrl: string | null;
  tags: string[];
  /** Handles and titles of the product's collections (the first 50). */
  collections: string[];
}

export type ShopGraphql = (shopDomain: string, query: string, variables?: Record<string, unknown>) => Promise<unknown>;

const PRODUCT_QUERY = `#graphql
  query TrustloopProduct($id: ID!) {
    product(id: $id) { id tags onlineStoreUrl featuredImage { url } collections(first: 50) { nodes { handle title } } }
  }`;

const productResponse = z.object({
  product: z
    .object({
      id: z.string(),
      tags: z.array(z.string()),
      onlineStoreUrl: z.string().nullish(),
      featuredImage: z.object({ url: z.string() }).nullish(),
      collections: z.object({ nodes: z.array(z.object({ handle: z.string(), title: z.string() })) }).nullish(),
    })
    .nullable(),
});

export async function fetchProducts(graphql: ShopGraphql, shopDomain: string, ids: string[]): Promise<Map<string, ProductInfo>> {
  const found = new Map<string, ProductInfo>();
  for (const id of [...new Set(ids)]) {
    const { product } = productResponse.parse(await graphql(shopDomain, PRODUCT_QUERY, { id }));
    if (!product) continue;
    const collections = (product.collections?.nodes ?? []).flatMap((c) => [c.handle, c.title]);
    found.set(id, { id, url: product.onlineStoreUrl ?? null, imageUrl: product.featuredImage?.url ?? null, tags: product.tags, collections });
  }
  return found;
}
