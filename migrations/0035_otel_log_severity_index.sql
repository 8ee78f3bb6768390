-- Log search by least severity: `severity >= error` beside words or attributes. Without it a
-- search whose words are common but whose severity is rare (an "emails sent" that never failed)
-- reads every record holding the words to find none; with it the planner intersects the words'
-- index with the severities' (BitmapAnd) and reads only the few records in both.
CREATE INDEX otel_logs_env_severity_time_idx ON otel_logs (environment_id, severity_number, time DESC);
