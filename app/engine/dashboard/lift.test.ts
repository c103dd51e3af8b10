import { describe, expect, it } from "vitest";
import { mulberry32 as rng } from "../util/random";
import { differenceInterval, liftOf, wilson } from "./lift";

function population(random: () => number, n: number, rate: number) {
  let repeat = 0;
  for (let i = 0; i < n; i++) if (random() < rate) repeat++;
  return { n, repeat };
}

describe("wilson", () => {
  it("matches the textbook value for 10 of 100", () => {
    const [low, high] = wilson(10, 100);
    expect(low).toBeCloseTo(0.0552, 4);
    expect(high).toBeCloseTo(0.1744, 4);
  });
  it("stays inside [0, 1] at the edges", () => {
    expect(wilson(0, 40)[0]).toBe(0);
    expect(wilson(40, 40)[1]).toBe(1);
  });
});

describe("differenceInterval (Newcombe)", () => {
  it("matches Newcombe's worked example 56/70 vs 48/80", () => {
    // Newcombe (1998), Statistics in Medicine 17:873, table II example (a): 0.0524 to 0.3339.
    const [low, high] = differenceInterval({ n: 70, repeat: 56 }, { n: 80, repeat: 48 });
    expect(low).toBeCloseTo(0.0524, 3);
    expect(high).toBeCloseTo(0.3339, 3);
  });
});

describe("liftOf on synthetic populations", () => {
  // Treated and control groups of [size, repeat rate]; the interval holds the true effect, and excludes zero only when positive.
  for (const { what, seed, treated, control, effect, verdict } of [
    {
      what: "a known effect of +6 points lies inside the interval, and the interval excludes zero",
      seed: 7,
      treated: [4000, 0.26],
      control: [4000, 0.2],
      effect: 0.06,
      verdict: "positive",
    },
    { what: "with no effect the interval contains zero", seed: 11, treated: [3000, 0.22], control: [600, 0.22], effect: 0, verdict: "inconclusive" },
  ] as const) {
    it(what, () => {
      const random = rng(seed);
      const lift = liftOf(population(random, treated[0], treated[1]), population(random, control[0], control[1]));
      expect(lift.verdict).toBe(verdict);
      expect(lift.ci![0]).toBeLessThan(effect);
      expect(lift.ci![1]).toBeGreaterThan(effect);
      expect(lift.ci![0] > 0).toBe(verdict === "positive");
    });
  }

  it("covers the true difference about 95 % of the time (400 simulated shops)", () => {
    const random = rng(2026);
    for (const trueEffect of [0, 0.05]) {
      let covered = 0;
      const trials = 400;
      for (let i = 0; i < trials; i++) {
        const lift = liftOf(population(random, 800, 0.15 + trueEffect), population(random, 200, 0.15));
        if (lift.ci![0] <= trueEffect && trueEffect <= lift.ci![1]) covered++;
      }
      expect(covered / trials).toBeGreaterThan(0.92);
      expect(covered / trials).toBeLessThan(0.985);
    }
  });

  it("says 'not enough data' for small groups instead of an interval", () => {
    const lift = liftOf({ n: 500, repeat: 80 }, { n: 12, repeat: 1 });
    expect(lift).toMatchObject({ verdict: "not_enough_data", ci: null, difference: null });
    expect(liftOf({ n: 100, repeat: 0 }, { n: 100, repeat: 2 }).verdict).toBe("not_enough_data");
  });
});
