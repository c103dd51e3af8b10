import "@shopify/ui-extensions/preact";
import { mount } from "./Block";

// customer-account.order-status.block.render
export default async () => {
  mount();
};
