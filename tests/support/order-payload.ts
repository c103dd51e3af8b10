// A REST `orders/*` webhook body for tests that post signed webhooks themselves: one line item,
// a customer, a French address; `extra` overrides any field.
export const orderPayload = (id: number, updatedAt: string, extra: Record<string, unknown> = {}) => ({
  id,
  admin_graphql_api_id: `gid://shopify/Order/${id}`,
  name: `#T${id}`,
  email: "buyer@example.com",
  currency: "USD",
  total_price: "25.00",
  subtotal_price: "20.00",
  financial_status: "paid",
  fulfillment_status: null,
  created_at: "2026-11-20T10:00:00Z",
  updated_at: updatedAt,
  customer: { id: id + 1, email: "buyer@example.com", first_name: "Bea" },
  shipping_address: { country_code: "FR", province_code: null },
  line_items: [{ id: id + 2, product_id: 7, variant_id: 8, title: "Socks", quantity: 2, price: "10.00" }],
  ...extra,
});
