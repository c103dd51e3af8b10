// The sandbox's HTTP plumbing: statuses, headers and bodies as the emulator's clients expect them.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyObject, createApp, createRouter, HANDLED, HttpError, route } from "./http";

let server: Server;
let base: string;
beforeAll(async () => {
  const router = createRouter()
    .get(
      "/items/:id",
      route((ctx) => ({ json: { id: ctx.params.id, q: ctx.query.get("q") } })),
    )
    .post(
      "/echo",
      route((ctx) => ({ json: bodyObject(ctx) })),
    )
    .post(
      "/size",
      route((ctx) => ({ text: String(ctx.body.length) })),
    )
    .get(
      "/page",
      route(() => ({ html: "<p>hi</p>", headers: { "x-extra": "1" } })),
    )
    .get(
      "/teapot",
      route(() => ({ status: 418, text: "short and stout" })),
    )
    .get(
      "/refused",
      route(() => Promise.reject(new HttpError(401, "unauthorized", { errors: "bad token" }))),
    )
    .get(
      "/missing",
      route(() => {
        throw new HttpError(404, "message not found");
      }),
    )
    .get(
      "/broken",
      route(() => {
        throw new Error("boom");
      }),
    )
    .get(
      "/stream",
      route((ctx) => {
        ctx.res.writeHead(206, { "content-type": "application/jsonl" });
        ctx.res.end("{}\n");
        return HANDLED;
      }),
    );
  server = createServer(createApp(router));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = async (path: string, init?: RequestInit) => {
  const res = await fetch(base + path, init);
  return { status: res.status, type: res.headers.get("content-type"), headers: res.headers, text: await res.text() };
};

describe("sandbox HTTP routes", () => {
  it("passes decoded path params and the query, and answers JSON", async () => {
    const r = await get("/items/a%20b.myshopify.com?q=x");
    expect(r).toMatchObject({ status: 200, type: "application/json; charset=utf-8" });
    expect(JSON.parse(r.text)).toEqual({ id: "a b.myshopify.com", q: "x" });
    expect(r.headers.get("x-powered-by")).toBeNull();
  });

  it("answers HTML and text with their types, extra headers and statuses", async () => {
    const page = await get("/page");
    expect(page).toMatchObject({ status: 200, type: "text/html; charset=utf-8", text: "<p>hi</p>" });
    expect(page.headers.get("x-extra")).toBe("1");
    expect(await get("/teapot")).toMatchObject({ status: 418, type: "text/plain; charset=utf-8", text: "short and stout" });
  });

  it("reads JSON and form bodies; an unreadable one is a 400", async () => {
    const json = await get("/echo", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
    expect(JSON.parse(json.text)).toEqual({ a: 1 });
    const form = await get("/echo", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1&b=two" });
    expect(JSON.parse(form.text)).toEqual({ a: "1", b: "two" });
    const empty = await get("/echo", { method: "POST" });
    expect(JSON.parse(empty.text)).toEqual({});
    const bad = await get("/echo", { method: "POST", headers: { "content-type": "application/json" }, body: "[1" });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual({ error: "invalid_body" });
  });

  it("turns HttpError into its status and body, and anything else into a 500", async () => {
    expect(await get("/refused")).toMatchObject({ status: 401, text: '{"errors":"bad token"}' });
    expect(await get("/missing")).toMatchObject({ status: 404, text: '{"error":"message not found"}' });
    expect(await get("/broken")).toMatchObject({ status: 500, type: "application/json; charset=utf-8", text: '{"error":"internal_error","message":"boom"}' });
  });

  it("answers an unknown path or method, or a path of another case, with a JSON 404", async () => {
    for (const [path, method] of [
      ["/nowhere/x", "GET"],
      ["/echo", "GET"],
      ["/ITEMS/1", "GET"],
    ]) {
      const r = await get(path, { method });
      expect(r.status).toBe(404);
      expect(JSON.parse(r.text)).toEqual({ error: "not_found", path });
    }
  });

  it("leaves the response to a handler that wrote it", async () => {
    expect(await get("/stream")).toMatchObject({ status: 206, type: "application/jsonl", text: "{}\n" });
  });

  it("reads bodies up to 10 MB and refuses larger ones with a 413", async () => {
    const ten = Buffer.alloc(10 * 1024 * 1024, 97);
    expect(await get("/size", { method: "POST", body: ten })).toMatchObject({ status: 200, text: String(ten.length) });
    const over = await get("/size", { method: "POST", body: Buffer.alloc(ten.length + 1, 97) });
    expect(over.status).toBe(413);
    expect(JSON.parse(over.text)).toEqual({ error: "payload_too_large" });
  });
});
