// The pages customers reach from emails (unsubscribe, review, NPS): static HTML with no scripts,
// strict headers (the token is in the URL), shop-branded. React escapes everything they show.
import type { CSSProperties, ReactElement, ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { acceptedLanguage, translator } from "~/engine/i18n/translate";

export const PUBLIC_PAGE_HEADERS = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer", // the token is in the URL
  "X-Robots-Tag": "noindex, nofollow",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; img-src https:; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export function htmlPage(element: ReactElement, status = 200): Response {
  return new Response(`<!doctype html>${renderToStaticMarkup(element)}`, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", ...PUBLIC_PAGE_HEADERS },
  });
}

export function PublicShell(props: {
  title: string;
  /** The page's language (the email's): <html lang dir>. */
  locale: string;
  shopName?: string;
  css: string;
  headerStyle?: CSSProperties;
  header?: ReactNode;
  children: ReactNode;
}) {
  const { locale, dir } = translator(props.locale);
  return (
    <html lang={locale} dir={dir}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{props.shopName ? `${props.title} · ${props.shopName}` : props.title}</title>
        <style dangerouslySetInnerHTML={{ __html: props.css }} />
      </head>
      <body>
        <main>
          <header style={props.headerStyle}>{props.header ?? props.shopName ?? "\u00a0"}</header>
          <section>{props.children}</section>
        </main>
      </body>
    </html>
  );
}

/** The frame every public page shares: a centred card `width` pixels wide under the shop's header. */
export const publicPageCss = (width: number) => `
  body { margin: 0; background: #f6f6f7; color: #202223; font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
  main { max-width: ${width}px; margin: 48px auto; background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.12); overflow: hidden; }
  header { padding: 20px 28px; color: #fff; font-weight: 600; font-size: 18px; }
  section { padding: 8px 28px 28px; }
  h1 { font-size: 22px; margin: 16px 0 4px; }
`;

const NOT_FOUND_CSS = `${publicPageCss(480)}
  header { background: #1f6f5c; }
`;

/** A tampered, expired or unknown link: 404, and nothing recorded. */
export function linkNotValid(request: Request): Response {
  // No message to take the language from: the browser's.
  const { locale, t } = translator(acceptedLanguage(request.headers.get("accept-language")));
  return htmlPage(
    <PublicShell title={t("page.link_not_valid.title")} locale={locale} css={NOT_FOUND_CSS}>
      <h1>{t("page.link_not_valid.heading")}</h1>
      <p>{t("page.link_not_valid.text")}</p>
    </PublicShell>,
    404,
  );
}
