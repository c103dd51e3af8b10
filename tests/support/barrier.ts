// Lines racing calls up: each caller waits until `parties` callers have arrived, so they go on together.
/** Resolves once `parties` callers wait on it (or after a safety timeout, so a test fails instead of hanging). */
export function barrier(parties: number) {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    if (++waiting >= parties) open();
    await Promise.race([opened, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
  };
}
