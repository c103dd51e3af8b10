// Lift of a flow: the repeat rate of customers whose message went out minus that of customers held
// back from the flow (its holdout group), with a 95 % interval by Newcombe's hybrid score method
// (Wilson intervals of each rate combined), which stays honest for small rates and unequal groups
// where the textbook Wald interval is too narrow.
import type { GroupFigures, Lift } from "./types";

const Z95 = 1.959963984540054;
/** Below these, an interval would be too wide or too unreliable to tell the merchant anything. */
export const MIN_GROUP_SIZE = 30;
export const MIN_OUTCOMES = 5;

export function wilson(successes: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** 95 % interval of p1 − p2 (Newcombe 1998, method 10). */
export function differenceInterval(a: GroupFigures, b: GroupFigures, z = Z95): [number, number] {
  const p1 = a.repeat / a.n;
  const p2 = b.repeat / b.n;
  const [l1, u1] = wilson(a.repeat, a.n, z);
  const [l2, u2] = wilson(b.repeat, b.n, z);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

export function enoughData(treated: GroupFigures, holdout: GroupFigures): boolean {
  const repeats = treated.repeat + holdout.repeat;
  const others = treated.n + holdout.n - repeats;
  return treated.n >= MIN_GROUP_SIZE && holdout.n >= MIN_GROUP_SIZE && repeats >= MIN_OUTCOMES && others >= MIN_OUTCOMES;
}

export function liftOf(treated: GroupFigures, holdout: GroupFigures): Lift {
  if (!enoughData(treated, holdout)) return { treated, holdout, difference: null, ci: null, verdict: "not_enough_data" };
  const difference = treated.repeat / treated.n - holdout.repeat / holdout.n;
  const ci = differenceInterval(treated, holdout);
  const verdict = ci[0] > 0 ? "positive" : ci[1] < 0 ? "negative" : "inconclusive";
  return { treated, holdout, difference, ci, verdict };
}
