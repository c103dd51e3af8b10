// Every job kind the worker knows. New capabilities register their jobs here.
import { z } from "zod";
import { journeyJobHandlers } from "../journeys/history";
import { compileDataRequest } from "../privacy/redact";
import type { JobHandler } from "../queue/jobs";

const dataRequestJob = z.object({ dataRequestId: z.string() });

export const JOB_HANDLERS: Record<string, JobHandler> = {
  "privacy.compile_data_request": async (job, { db, clock }) => {
    // Stored payloads may predate this code: parse, never cast.
    const { dataRequestId } = dataRequestJob.parse(job.payload);
    await compileDataRequest(db, clock, dataRequestId);
  },
  ...journeyJobHandlers,
};
