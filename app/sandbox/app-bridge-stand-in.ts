// A local stand-in for App Bridge (cdn.shopify.com is out of reach in the sandbox). It provides
// what the app uses: window.shopify.idToken(), Bearer tokens on same-origin fetches, and the
// session-token bounce page's reload.
export const APP_BRIDGE_STAND_IN = `(() => {
  const params = new URLSearchParams(location.search);
  if (params.get("shop")) sessionStorage.setItem("trustloop.sandbox.shop", params.get("shop"));
  const shop = sessionStorage.getItem("trustloop.sandbox.shop") || "";
  const realFetch = window.fetch.bind(window);
  async function idToken() {
    const response = await realFetch("/sandbox/api/id-token?shop=" + encodeURIComponent(shop), { cache: "no-store" });
    if (!response.ok) throw new Error("sandbox: could not get a session token");
    return (await response.json()).token;
  }
  window.fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input.url || String(input), location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/sandbox/")) return realFetch(input, init);
    const headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
    if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + (await idToken()));
    return realFetch(input, { ...init, headers });
  };
  // Shopify admin draws <ui-nav-menu> as its side navigation; the stand-in draws a top bar.
  const style = document.createElement("style");
  style.textContent =
    "ui-nav-menu{display:flex;gap:20px;padding:10px 20px;background:#1a1a1a;font:500 14px system-ui,sans-serif}" +
    "ui-nav-menu a{color:#e3e3e3;text-decoration:none}ui-nav-menu a[rel=home]::before{content:'Trustloop sandbox · ';color:#8a8a8a}" +
    "ui-title-bar{display:none}";
  document.head.appendChild(style);
  const noop = () => {};
  window.shopify = {
    idToken,
    config: { shop, apiKey: document.currentScript && document.currentScript.dataset.apiKey },
    toast: { show: (message) => console.info("[toast]", message) },
    loading: noop,
    environment: { embedded: true, mobile: false, pos: false },
  };
  const reload = params.get("shopify-reload");
  if (reload) {
    idToken().then((token) => {
      const target = new URL(reload, location.origin);
      if (target.origin !== location.origin) return;
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }
})();
`;
