-- AlterTable
ALTER TABLE "Job" DROP COLUMN "lockedBy",
DROP COLUMN "lockedUntil";

-- AlterTable
ALTER TABLE "WorkerHeartbeat" ADD COLUMN     "aliveAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "queueWorkerId" TEXT,
ADD COLUMN     "recoveredAt" TIMESTAMPTZ(3);


-- Background work runs on graphile-worker's queue (schema graphile_worker, installed by the
-- migration runner before this file; docs/decisions/027-job-queue.md).

-- Times on the app's clock (sendAt, runAt) as the queue's real time: the sandbox keeps its clock
-- offset in AppState; in production there is no such row and the time is unchanged. The row is read
-- FOR SHARE: a transaction adding a job and the sandbox moving its clock (which updates the row and
-- shifts the waiting jobs) then take turns, so no job is added with an offset that is being replaced.
CREATE FUNCTION trustloop_queue_time(t timestamptz) RETURNS timestamptz
LANGUAGE sql VOLATILE AS $$
  SELECT t - make_interval(secs => coalesce((SELECT value::double precision FROM "AppState" WHERE key = 'sandbox.clockOffsetMs' FOR SHARE), 0) / 1000)
$$;

-- A message that may go out has exactly one send job, keyed by the message, due at its send time.
-- Enqueued by the database in the very transaction that plans, re-plans, defers or retries it, so
-- no code path can change the ledger without the queue following. When several are due at once,
-- delay notices go first, then service, survey and marketing mail (they compete for cap slots).
CREATE FUNCTION trustloop_message_priority(anchor text, category text) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN anchor = 'delay_detected' THEN 0 WHEN category = 'service' THEN 1 WHEN category = 'survey' THEN 2 ELSE 3 END
$$;

CREATE FUNCTION trustloop_queue_message_send() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('scheduled', 'deferred')
     AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status OR OLD."sendAt" IS DISTINCT FROM NEW."sendAt") THEN
    PERFORM graphile_worker.add_job(
      'message_send',
      json_build_object('messageId', NEW.id),
      run_at => trustloop_queue_time(NEW."sendAt"),
      job_key => 'send:' || NEW.id,
      job_key_mode => 'replace',
      priority => trustloop_message_priority(NEW.anchor, NEW.category::text)
    );
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Message_queue_send"
AFTER INSERT OR UPDATE OF status, "sendAt" ON "Message"
FOR EACH ROW EXECUTE FUNCTION trustloop_queue_message_send();

-- What the old schedulers held when this migration runs moves to the queue.
SELECT graphile_worker.add_job('message_send', json_build_object('messageId', id), run_at => trustloop_queue_time("sendAt"), job_key => 'send:' || id, priority => trustloop_message_priority(anchor, category::text))
FROM "Message" WHERE status IN ('scheduled', 'deferred');
SELECT graphile_worker.add_job('job_run', json_build_object('jobId', id), run_at => trustloop_queue_time("runAt"), job_key => 'job:' || id, max_attempts => 8)
FROM "Job" WHERE status IN ('pending', 'running');
