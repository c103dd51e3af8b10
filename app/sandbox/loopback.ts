// Loopback names: where the sandbox may be reached from, and where its app URL must point.
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase());
}

/** A Host header ("localhost:3000", "[::1]:3000") that names this machine. */
export function isLoopbackHost(host: string | null): boolean {
  if (!host) return false;
  try {
    const url = new URL(`http://${host}`);
    // `host` must be a bare authority: "evil.example/x@localhost" parses to another host or path.
    return url.host === host.toLowerCase() && isLoopbackHostname(url.hostname);
  } catch {
    return false;
  }
}
