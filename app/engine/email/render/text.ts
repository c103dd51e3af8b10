import type { EmailParts } from "./parts";

/** The text/plain part, built from the same parts as the HTML (never by stripping it). */
export function buildText(p: EmailParts): string {
  const blocks: string[] = [];
  if (p.body) blocks.push(p.body);
  if (p.cta) blocks.push(`${p.cta.label}: ${p.cta.url}`);
  if (p.scale) {
    const first = p.scale.links[0].value;
    const last = p.scale.links[p.scale.links.length - 1].value;
    const legend = [p.scale.low ? `${first} = ${p.scale.low}` : "", p.scale.high ? `${last} = ${p.scale.high}` : ""].filter(Boolean).join(", ");
    blocks.push([p.scale.question, legend ? `(${legend})` : "", ...p.scale.links.map((l) => `${l.value}: ${l.url}`)].filter(Boolean).join("\n"));
  }
  if (p.items.length > 0) {
    const lines = p.items.map((li) => {
      const variant = li.variant ? ` (${li.variant})` : "";
      const qty = li.quantity ? `${li.quantity} × ` : "";
      const price = li.price ? ` — ${li.price}` : "";
      return `- ${qty}${li.title}${variant}${price}`;
    });
    if (p.orderName) lines.unshift(p.labels.order);
    if (p.total) lines.push(`${p.labels.total}: ${p.total}`);
    blocks.push(lines.join("\n"));
  }
  for (const t of p.tracking) {
    const label = [t.company, t.number].filter(Boolean).join(" ");
    blocks.push(`${p.labels.tracking}: ${[label, t.url].filter(Boolean).join(" — ")}`);
  }
  const footer = ["--", p.shopName, p.address, p.reason];
  if (p.unsubscribeUrl) footer.push(`${p.labels.unsubscribe}: ${p.unsubscribeUrl}`);
  if (p.preferencesUrl) footer.push(`${p.labels.preferences}: ${p.preferencesUrl}`);
  blocks.push(footer.filter(Boolean).join("\n"));
  return `${blocks.join("\n\n")}\n`;
}
