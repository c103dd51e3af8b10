import { describe, expect, it } from "vitest";
import { linkKeys } from "../links/tokens";
import { readReviewToken, reviewLinkExpiry, reviewUrl } from "./links";

const secret = linkKeys([{ kid: "t1", secret: "test-link-secret-0123456789abcdefgh" }]);
const now = new Date("2026-11-20T10:00:00Z");

describe("review links", () => {
  it("round-trips the main message id and carries no address", () => {
    const url = reviewUrl("https://app.example/", secret, "msg_1", reviewLinkExpiry(now));
    expect(url).toMatch(/^https:\/\/app\.example\/r\/t1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(url).not.toContain("@");
    const token = url.split("/r/")[1];
    expect(readReviewToken(secret, token, now)).toBe("msg_1");
  });

  it("expires after 180 days", () => {
    const token = reviewUrl("https://app.example", secret, "msg_1", reviewLinkExpiry(now)).split("/r/")[1];
    expect(readReviewToken(secret, token, new Date(now.getTime() + 179 * 86_400_000))).toBe("msg_1");
    expect(readReviewToken(secret, token, new Date(now.getTime() + 180 * 86_400_000))).toBeNull();
  });

  it("refuses tampered tokens, other keys and other link kinds", () => {
    const token = reviewUrl("https://app.example", secret, "msg_1", reviewLinkExpiry(now)).split("/r/")[1];
    const flipped = token.slice(0, 5) + (token[5] === "A" ? "B" : "A") + token.slice(6);
    expect(readReviewToken(secret, flipped, now)).toBeNull();
    expect(readReviewToken(linkKeys([{ kid: "t1", secret: "other-link-secret-0123456789abcdefg" }]), token, now)).toBeNull();
    expect(readReviewToken(secret, "", now)).toBeNull();
  });
});
