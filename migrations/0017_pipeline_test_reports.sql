-- What a job's declared test reports (`artifacts: reports: junit | tap` in .orchard/pipeline.yml)
-- said, read when the job ended: counts, duration, the first failures (masked like the log) and
-- notes on what could not be read. NULL for a job that declares no reports.
ALTER TABLE pipeline_jobs ADD COLUMN test_report jsonb;
