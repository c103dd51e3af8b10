// The period the figures cover. Changing it is a GET navigation (?period=…): the page is a link.
import { Box, Select } from "@shopify/polaris";
import { PERIODS, type PeriodKey } from "~/engine/dashboard/types";
import { PERIOD_LABELS } from "./format";

const OPTIONS = (Object.keys(PERIODS) as PeriodKey[]).map((key) => ({ label: PERIOD_LABELS[key], value: key }));

export function PeriodSelect({ value, onChange, disabled }: { value: PeriodKey; onChange: (period: PeriodKey) => void; disabled?: boolean }) {
  return (
    <Box minWidth="200px">
      <Select label="Period" labelInline options={OPTIONS} value={value} disabled={disabled} onChange={(v) => onChange(v as PeriodKey)} />
    </Box>
  );
}
