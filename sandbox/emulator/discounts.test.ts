// Discount codes in the emulator: customer selection, the user-error fault, and codes used at checkout
// (the order's discount_codes and totals, usage limit, customer limit).
import { beforeEach, describe, expect, it } from "vitest";
import { useInstalledShop } from "../testing/fake-app";

const SHOP = "trustloop-demo.myshopify.com";
const shop = useInstalledShop(SHOP);
const { gql, control } = shop;
beforeEach(() => {
  shop.t.app.received.length = 0;
  shop.t.sandbox.emulator.clearFaults();
});

const CREATE = `mutation Create($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) {
  codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { asyncUsageCount } } } userErrors { field message code } } }`;

const input = (code: string, extra: Record<string, unknown> = {}) => ({
  title: `Trustloop apology ${code}`,
  code,
  startsAt: new Date(Date.now() - 60_000).toISOString(),
  endsAt: new Date(Date.now() + 86_400_000).toISOString(),
  usageLimit: 1,
  appliesOncePerCustomer: true,
  customerSelection: { all: true },
  customerGets: { value: { percentage: 0.1 }, items: { all: true } },
  combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
  ...extra,
});

async function customer(email: string): Promise<string> {
  const placed = await control(`/shops/${SHOP}/orders`, { email, lineItems: [{ title: "Mug", price: "10.00" }] });
  return `gid://shopify/Customer/${placed.json.customerId}`;
}

describe("discountCodeBasicCreate", () => {
  it("checks the customer selection: required, and listed customers must exist", async () => {
    const { customerSelection: _, ...withoutSelection } = input("SEL-1");
    expect((await gql(CREATE, { input: withoutSelection })).data.discountCodeBasicCreate.userErrors).toEqual([
      { field: ["basicCodeDiscount", "customerSelection"], message: "Customer selection can't be blank", code: "BLANK" },
    ]);
    const unknown = await gql(CREATE, { input: input("SEL-2", { customerSelection: { customers: { add: ["gid://shopify/Customer/1"] } } }) });
    expect(unknown.data.discountCodeBasicCreate.userErrors).toEqual([
      { field: ["basicCodeDiscount", "customerSelection", "customers", "add"], message: "Customer gid://shopify/Customer/1 does not exist", code: "INVALID" },
    ]);
    const gid = await customer("selection@example.com");
    const ok = await gql(CREATE, { input: input("SEL-3", { context: { customers: { add: [gid] } }, customerSelection: undefined }) });
    expect(ok.data.discountCodeBasicCreate.userErrors).toEqual([]);
  });

  it("a user-error fault answers with userErrors (custom message) and creates nothing", async () => {
    expect((await control("/faults", { operation: "discountCodeBasicCreate", mode: "user-error", message: "Discounts are paused for this shop" })).status).toBe(
      200,
    );
    const refused = await gql(CREATE, { input: input("UE-1") });
    expect(refused.data.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ["basicCodeDiscount"], message: "Discounts are paused for this shop", code: "INVALID" }],
    });
    expect((await gql(`{ codeDiscountNodeByCode(code: "UE-1") { id } }`)).data.codeDiscountNodeByCode).toBeNull();
    // Consumed: the next call creates it.
    expect((await gql(CREATE, { input: input("UE-1") })).data.discountCodeBasicCreate.userErrors).toEqual([]);
  });
});

describe("placing an order with a code", () => {
  it("applies it: discount_codes, totals and usage; a second use and another customer are refused", async () => {
    const gid = await customer("redeemer@example.com");
    await gql(CREATE, { input: input("SORRY-TEST0001", { customerSelection: { customers: { add: [gid] } } }) });
    shop.t.app.received.length = 0;

    const other = await control(`/shops/${SHOP}/orders`, { email: "someone-else@example.com", discountCode: "SORRY-TEST0001" });
    expect(other.status).toBe(422);
    expect(JSON.stringify(other.json)).toContain("not available to this customer");

    const placed = await control(`/shops/${SHOP}/orders`, {
      email: "redeemer@example.com",
      discountCode: "sorry-test0001",
      lineItems: [{ title: "Lamp", price: "80.00" }],
    });
    expect(placed.status).toBe(200);
    const created = shop.t.app.received.find((w) => w.topic === "orders/create")!.body;
    expect(created.discount_codes).toEqual([{ code: "SORRY-TEST0001", amount: "8.00", type: "percentage" }]);
    expect(created).toMatchObject({ total_line_items_price: "80.00", total_discounts: "8.00", subtotal_price: "72.00", total_price: "72.00" });
    expect((created.discount_applications as unknown[])[0]).toMatchObject({ type: "discount_code", code: "SORRY-TEST0001", value_type: "percentage" });

    const node = await gql(`{ codeDiscountNodeByCode(code: "SORRY-TEST0001") { codeDiscount { ... on DiscountCodeBasic { asyncUsageCount } } } }`);
    expect(node.data.codeDiscountNodeByCode.codeDiscount.asyncUsageCount).toBe(1);

    const again = await control(`/shops/${SHOP}/orders`, { email: "redeemer@example.com", discountCode: "SORRY-TEST0001" });
    expect(again.status).toBe(422);
    expect(JSON.stringify(again.json)).toContain("usage limit");
    expect((await control(`/shops/${SHOP}/orders`, { email: "x@example.com", discountCode: "NOPE" })).status).toBe(422);
  });

  it("a fixed amount is capped at the order's items", async () => {
    await gql(CREATE, {
      input: input("FIVE-OFF", {
        usageLimit: null,
        customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
      }),
    });
    await control(`/shops/${SHOP}/orders`, { email: "fixed@example.com", discountCode: "FIVE-OFF", lineItems: [{ title: "Pin", price: "3.00" }] });
    const created = shop.t.app.received.find((w) => w.topic === "orders/create")!.body;
    expect(created.discount_codes).toEqual([{ code: "FIVE-OFF", amount: "3.00", type: "fixed_amount" }]);
    expect(created.total_price).toBe("0.00");
  });
});
