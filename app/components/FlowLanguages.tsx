// The flow editor's languages (decision 043): the picker above the subject and body, and a
// language's own template, saved apart from the flow's form. A language without one shows the
// default's text, read-only, until the merchant chooses to write a separate template.
import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, Button, InlineStack, Select, TextField } from "@shopify/polaris";
import type { FlowActionResult } from "~/engine/admin/flow-action";
import type { LanguageChoice, Template } from "~/engine/flows/templates";
import type { FieldErrors } from "./fields";

const USES: Record<LanguageChoice["uses"], string> = {
  preset: "still the preset",
  edited: "edited",
  own: "own template",
  default: "uses the default",
};

/** "French — own template"; a language the shop no longer publishes says so. */
function optionLabel(choice: LanguageChoice): string {
  return `${choice.label} — ${USES[choice.uses]}${choice.published ? "" : " (not published any more)"}`;
}

export function LanguageSelect({ languages, value, onChange }: { languages: LanguageChoice[]; value: string; onChange: (value: string) => void }) {
  return (
    <Select
      label="Language"
      options={languages.map((c) => ({ label: optionLabel(c), value: c.value }))}
      value={value}
      onChange={onChange}
      helpText="Every language uses the default template unless it has its own. Preview and test emails render in the chosen language."
    />
  );
}

/** The languages' own templates being edited (saved ones to begin with), by language. */
export function useLanguageTemplates(flowId: string, saved: Record<string, Template>) {
  const [drafts, setDrafts] = useState<Record<string, Template>>(saved);
  const fetcher = useFetcher<FlowActionResult>({ key: `flow-template-${flowId}` });
  const setDraft = (language: string, template: Template | null) =>
    setDrafts((prev) => {
      const next = { ...prev };
      if (template) next[language] = template;
      else delete next[language];
      return next;
    });
  return { drafts, setDraft, fetcher };
}

interface Props {
  choice: LanguageChoice;
  /** The language's own template, or undefined while it uses the default. */
  draft: Template | undefined;
  defaults: Template;
  templates: ReturnType<typeof useLanguageTemplates>;
  /** What the last preview of this template found wrong. */
  previewErrors: FieldErrors;
}

/** One language's subject and body: the default's, read-only, or its own with save and "use the default". */
export function LanguageTemplate({ choice, draft, defaults, templates, previewErrors }: Props) {
  const { fetcher, setDraft } = templates;
  const language = choice.value;
  const answer = fetcher.state === "idle" && fetcher.data && "language" in fetcher.data && fetcher.data.language === language ? fetcher.data : null;
  const errors: FieldErrors = { ...previewErrors, ...answer?.errors };
  const shown = draft ?? defaults;
  const edit = (patch: Partial<Template>) => setDraft(language, { ...shown, ...patch });
  const submit = (intent: "template-save" | "template-remove") => fetcher.submit({ intent, language, ...shown }, { method: "post" });
  return (
    <>
      {answer && !Object.keys(answer.errors).length && (
        <Banner tone="success">{answer.intent === "template-save" ? `${choice.label} template saved.` : `${choice.label} uses the default template.`}</Banner>
      )}
      {errors.language && <Banner tone="critical">{errors.language}</Banner>}
      <TextField label="Subject" value={shown.subject} onChange={(subject) => edit({ subject })} disabled={!draft} error={errors.subject} autoComplete="off" />
      <TextField
        label="Body (Liquid)"
        multiline={10}
        monospaced
        value={shown.body}
        onChange={(body) => edit({ body })}
        disabled={!draft}
        error={errors.body}
        autoComplete="off"
      />
      <InlineStack gap="200" align="end">
        {draft ? (
          <>
            <Button
              onClick={() => {
                setDraft(language, null);
                submit("template-remove");
              }}
            >
              Use the default template
            </Button>
            <Button variant="primary" onClick={() => submit("template-save")} loading={fetcher.state !== "idle"}>
              {`Save the ${choice.label} template`}
            </Button>
          </>
        ) : (
          <Button onClick={() => setDraft(language, { ...defaults })}>{`Write a separate template for ${choice.label}`}</Button>
        )}
      </InlineStack>
    </>
  );
}
