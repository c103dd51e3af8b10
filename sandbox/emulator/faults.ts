// Fault injection for Admin API calls: make the next N calls of an operation fail in a chosen way.

// "user-error": a mutation answers with a userErrors entry (message optional) and changes nothing.
export const FAULT_MODES = ["throttled", "timeout-after-apply", "server-error", "user-error"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface Fault {
  operation: string;
  mode: FaultMode;
  remaining: number;
  /** user-error only: the userErrors message. */
  message?: string;
}

export class FaultRegistry {
  private faults: Fault[] = [];

  add(operation: string, mode: FaultMode, times = 1, message?: string): Fault {
    if (!operation) throw new Error("operation is required");
    if (!FAULT_MODES.includes(mode)) throw new Error(`mode must be one of ${FAULT_MODES.join(", ")}`);
    const fault: Fault = { operation, mode, remaining: Math.max(1, Math.floor(times)), ...(message ? { message } : {}) };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Consumes and returns the first fault matching the operation name or one of its root fields. */
  take(names: (string | null | undefined)[]): FaultMode | null {
    return this.takeFault(names)?.mode ?? null;
  }

  /** As take(), with the fault's details (the user-error message). */
  takeFault(names: (string | null | undefined)[]): Fault | null {
    const i = this.faults.findIndex((f) => names.includes(f.operation));
    if (i < 0) return null;
    const fault = this.faults[i];
    if (--fault.remaining <= 0) this.faults.splice(i, 1);
    return { ...fault };
  }
}
