// What a submission of the flow editor answers: the route's action returns it, the editor reads it.
import type { FieldErrors } from "./flow-form";
import type { TestEmailResult } from "./preview";

export type FlowActionResult =
  | { intent: "toggle"; errors: FieldErrors }
  | { intent: "save"; errors: FieldErrors; replanned?: number }
  | { intent: "template-save" | "template-remove"; errors: FieldErrors; language: string }
  | { intent: "preview"; errors: FieldErrors; preview?: { subject: string; html: string; source: string } }
  | { intent: "test"; errors: FieldErrors; test?: TestEmailResult };
