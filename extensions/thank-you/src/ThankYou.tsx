import "@shopify/ui-extensions/preact";
import { mount } from "./Block";

// purchase.thank-you.block.render
export default async () => {
  mount();
};
