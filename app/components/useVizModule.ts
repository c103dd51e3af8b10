// Polaris Viz reads `window` while rendering, so charts load it in the browser only, after
// hydration: the server and the first client render get null and show a same-sized placeholder;
// "failed" when the module could not be loaded.
import { useEffect, useState } from "react";

export type VizModule = typeof import("@shopify/polaris-viz");

export function useVizModule(): { viz: VizModule | null; failed: boolean } {
  const [viz, setViz] = useState<VizModule | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    import("@shopify/polaris-viz").then(
      (m) => live && setViz(m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  return { viz, failed };
}
