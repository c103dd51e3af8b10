// A stack's DKIM signing key, for tests that check mail is signed as in production
// (d=trustloop-demo.example, s=tl).
import { generateKeyPairSync } from "node:crypto";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

export const DKIM_ENV = {
  DKIM_DOMAIN: "trustloop-demo.example",
  DKIM_SELECTOR: "tl",
  DKIM_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
};
