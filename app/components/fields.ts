// The one field binder of the admin forms: it gives a Polaris field its name, value, onChange and
// error from one record of string values, so the submitted name, the shown value and the action's
// error (keyed by the same name) cannot drift apart.
import { useState } from "react";

export type FieldErrors = Record<string, string | undefined>;

/** The keys of V whose values are strings: the ones a text field or a select can edit. */
export type TextKey<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V] & string;

/** The bounds of a number field: the browser's own check, before the action validates again. */
export interface NumberBounds {
  min?: number;
  max?: number;
}

/**
 * Binds fields to `values`. `update` receives a patch with the one changed value; `prefix` names
 * fields of a row in a list (`tiers.0.`), where both the form data and the errors use that name.
 * A field given `bounds` is a number field.
 */
export function fieldBinder<V>(values: V, update: (patch: Partial<V>) => void, errors: FieldErrors, prefix = "") {
  return <K extends TextKey<V>>(name: K, bounds?: NumberBounds) => ({
    name: `${prefix}${name}`,
    value: values[name] as string,
    onChange: (value: string) => update({ [name]: value } as Partial<V>),
    error: errors[`${prefix}${name}`],
    autoComplete: "off",
    ...(bounds && { type: "number" as const, ...bounds }),
  });
}

/** A form's values in state, and `field(name)` bound to them and to the action's errors. */
export function useFields<V>(initial: V, errors: FieldErrors) {
  const [values, setValues] = useState<V>(initial);
  const field = fieldBinder(values, (patch) => setValues((prev) => ({ ...prev, ...patch })), errors);
  return { values, setValues, field };
}

/** Optional values (a search's filters) as form values: a missing one is the empty string. */
export function textValues<T extends Record<string, string | number | null | undefined>>(record: T): { [K in keyof T]: string } {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, value == null ? "" : String(value)])) as { [K in keyof T]: string };
}

/** A filter's options: `label` for no filter (the empty value), then the choices. */
export function withAny(label: string, options: { label: string; value: string }[]) {
  return [{ label, value: "" }, ...options];
}
