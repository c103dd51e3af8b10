/** Shopify global ids: "gid://shopify/Order/123". REST payloads give numbers; we store gids. */
export function toGid(type: string, id: string | number): string {
  const text = String(id);
  return text.startsWith("gid://") ? text : `gid://shopify/${type}/${text}`;
}

export function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}
