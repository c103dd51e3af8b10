// The offer the app's checkout API answers with, shared by the logic and the rendered-target tests.
export const offer = {
  title: "Mug",
  percent: 15,
  code: "THANKS-ABC",
  cartUrl: "https://shop.example/cart/1:1?discount=THANKS-ABC",
  expiresAt: "2030-01-01T00:00:00.000Z",
};
